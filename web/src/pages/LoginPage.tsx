// Sign in with a username and password (CONTRACT.md: POST /api/v1/auth/login → token).
import { useState } from 'react';
import { Alert, Button, Form, Input } from 'antd';
import { useNavigate, useSearchParams } from 'react-router';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { isOfficial, setSession } from '../auth/session';
import { PageTitle } from '../components/PageTitle';
import { ErrorState } from '../components/QueryStates';

interface Credentials {
  username: string;
  password: string;
}

/** Only same-site paths are followed after login, never another origin. */
function safeNext(next: string | null): string | null {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : null;
}

export function LoginPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [form] = Form.useForm<Credentials>();
  const [submitted, setSubmitted] = useState(false);

  const login = useMutation({
    mutationFn: async ({ username, password }: Credentials) => {
      const result = await api.login(username, password);
      setSession({ token: result.token, user: result.user });
      // The login answer has no display name; /me does. Greeting by name is a nicety, not a must.
      const me = await api.me().catch(() => null);
      if (me) setSession({ token: result.token, user: { ...result.user, displayName: me.user.displayName } });
      return result;
    },
    onSuccess: (result) => {
      const fallback = isOfficial(result.user) ? '/workbench' : '/';
      void navigate(safeNext(params.get('next')) ?? fallback, { replace: true });
    },
  });

  return (
    <div className="narrow-page">
      <PageTitle title={t('login.title')} intro={t('login.intro')} />
      {params.get('expired') && !submitted ? (
        <Alert type="info" showIcon className="state-alert" title={t('login.expired')} />
      ) : null}
      {login.isError ? <ErrorState error={login.error} /> : null}
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={(values) => {
          setSubmitted(true);
          login.mutate(values);
        }}
      >
        <Form.Item
          label={t('login.username')}
          name="username"
          rules={[{ required: true, message: t('login.usernameRequired') }]}
        >
          <Input autoComplete="username" />
        </Form.Item>
        <Form.Item
          label={t('login.password')}
          name="password"
          rules={[{ required: true, message: t('login.passwordRequired') }]}
        >
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" size="large" block loading={login.isPending} className="next-button">
          {t('login.submit')}
        </Button>
      </Form>
    </div>
  );
}
