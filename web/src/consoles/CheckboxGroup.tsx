// antd's Form.Item hands its control aria-required, which a group of checkboxes may not carry
// (axe: aria-allowed-attr). This group names itself after its label instead; the rule that at
// least one box be ticked still holds, and its message is announced by the form.
import { Checkbox } from 'antd';
import type { ComponentProps } from 'react';

type Props = ComponentProps<typeof Checkbox.Group> & { label: string; 'aria-required'?: unknown };

export function CheckboxGroup({ label, 'aria-required': _required, ...props }: Props) {
  return <Checkbox.Group role="group" aria-label={label} {...props} />;
}
