// The display and assistance switches shown at the top of every page: 长辈版, extra-large
// cursor, read-aloud and language. Outcomes are announced in a polite live region rather than a
// pop-up (elder mode allows no pop-ups).
import { useEffect, useState } from 'react';
import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { updatePreferences, usePreferences } from '../elder/preferences';
import { readAloud, stopReading } from '../elder/readAloud';

interface Props {
  onStatus: (message: string) => void;
  routeKey: string;
}

export function AccessibilityTools({ onStatus, routeKey }: Props) {
  const { t, i18n } = useTranslation();
  const prefs = usePreferences();
  const [reading, setReading] = useState(false);

  // A new page should not keep reading the old one.
  useEffect(() => {
    stopReading();
    setReading(false);
  }, [routeKey]);

  const toggleReading = () => {
    if (reading) {
      stopReading();
      setReading(false);
      onStatus(t('tools.readAloudStopped'));
      return;
    }
    const result = readAloud(document.getElementById('main'), i18n.language, () => setReading(false));
    if (result === 'started') {
      setReading(true);
      onStatus(t('tools.readAloudStarted'));
    } else {
      onStatus(t(result === 'unsupported' ? 'tools.readAloudUnsupported' : 'tools.readAloudEmpty'));
    }
  };

  const toggleLanguage = () => {
    const language = prefs.language === 'en' ? 'zh-CN' : 'en';
    updatePreferences({ language });
    void i18n.changeLanguage(language);
  };

  return (
    <div className="a11y-tools" role="group" aria-label={t('tools.groupLabel')}>
      <Button
        type={prefs.elderMode ? 'primary' : 'default'}
        aria-pressed={prefs.elderMode}
        onClick={() => updatePreferences({ elderMode: !prefs.elderMode })}
      >
        {t('tools.elderMode')}
      </Button>
      <Button aria-pressed={prefs.bigCursor} onClick={() => updatePreferences({ bigCursor: !prefs.bigCursor })}>
        {t('tools.bigCursor')}
      </Button>
      <Button aria-pressed={reading} onClick={toggleReading}>
        {reading ? t('tools.stopReading') : t('tools.readAloud')}
      </Button>
      <Button onClick={toggleLanguage} lang={prefs.language === 'en' ? 'zh-CN' : 'en'}>
        {prefs.language === 'en' ? '中文' : 'English'}
      </Button>
    </div>
  );
}
