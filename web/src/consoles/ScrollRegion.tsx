// A wide table on a narrow screen scrolls sideways. When the table holds nothing focusable, the
// scrolling box itself must take keyboard focus (WCAG 2.1.1; axe scrollable-region-focusable), so
// it is a named region in the tab order instead of antd's own scroll box.
import type { CSSProperties, ReactNode } from 'react';

export function ScrollRegion({ label, minWidth, children }: { label: string; minWidth: number; children: ReactNode }) {
  return (
    <div className="scroll-region" role="region" aria-label={label} tabIndex={0} style={{ '--table-min-width': `${minWidth}px` } as CSSProperties}>
      {children}
    </div>
  );
}
