// Measures a page against the 长辈版 rules (DOMAIN.md): body text ≥ 18px, line height ≥ 1.3,
// every visible link and button at least 60×60px. Returns what it found, for clear failures.
import type { Page } from 'playwright-core';

export interface ElderMeasurement {
  bodyFontPx: number;
  bodyLineHeightRatio: number;
  smallTargets: string[];
  smallText: string[];
}

export function measureElderRules(page: Page): Promise<ElderMeasurement> {
  return page.evaluate(() => {
    const describe = (el: Element, extra: string) => {
      const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
      return `<${el.tagName.toLowerCase()} class="${el.getAttribute('class') ?? ''}"> "${text}" ${extra}`;
    };
    const isShown = (el: Element) => {
      const rect = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      // Visually hidden elements (the skip link until focused) are not targets anyone can see.
      return rect.width > 2 && rect.height > 2 && rect.right > 0 && rect.bottom > 0 && style.visibility !== 'hidden';
    };
    const body = getComputedStyle(document.body);
    const bodyFontPx = parseFloat(body.fontSize);
    const lineHeightPx = body.lineHeight === 'normal' ? bodyFontPx * 1.2 : parseFloat(body.lineHeight);

    const smallTargets: string[] = [];
    for (const el of document.querySelectorAll('a[href], button, [role="button"]')) {
      if (!isShown(el)) continue;
      const rect = el.getBoundingClientRect();
      if (rect.width < 59.5 || rect.height < 59.5) {
        smallTargets.push(describe(el, `${Math.round(rect.width)}×${Math.round(rect.height)}`));
      }
    }

    // Any element that itself holds text, inside the page (not the skip link), must be ≥ 18px.
    const smallText: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const seen = new Set<Element>();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || seen.has(parent) || !node.textContent?.trim() || !isShown(parent)) continue;
      seen.add(parent);
      const size = parseFloat(getComputedStyle(parent).fontSize);
      if (size < 18) smallText.push(describe(parent, `${size}px`));
    }
    return { bodyFontPx, bodyLineHeightRatio: lineHeightPx / bodyFontPx, smallTargets, smallText };
  });
}
