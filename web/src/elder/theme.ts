// Ant Design theme tokens for the normal and the 长辈版 (elder) display.
// Colours are chosen for ≥ 4.5:1 contrast on white: antd's default blue #1677ff is only 4.1:1
// and its secondary text (45% black) 3.4:1, both below WCAG 2.1 AA, so they are replaced.
// Elder sizes follow the 工信部 age-friendly rules: body ≥ 18px, main functions ≥ 30px,
// line height ≥ 1.3, touch targets ≥ 60×60px.
import type { ThemeConfig } from 'antd';

const PRIMARY = '#0958d9'; // 6.2:1 on white
const SECONDARY_TEXT = 'rgba(0, 0, 0, 0.68)'; // ≈ 6.5:1 on white

// antd derives hover and pressed shades by lightening the base colour, which drops white text on
// a hovered primary (or danger) button below 4.5:1; they are set darker instead.
const PRIMARY_HOVER = '#003eb3'; // 9.0:1 on white, and white on it
const PRIMARY_ACTIVE = '#002c8c';

const base: ThemeConfig['token'] = {
  colorPrimary: PRIMARY,
  colorPrimaryHover: PRIMARY_HOVER,
  colorPrimaryActive: PRIMARY_ACTIVE,
  colorLink: PRIMARY,
  colorLinkHover: PRIMARY_HOVER,
  colorLinkActive: PRIMARY_ACTIVE,
  colorErrorHover: '#a8071a', // 7.4:1
  colorErrorActive: '#820014',
  colorInfo: PRIMARY,
  colorSuccess: '#237804', // 5.6:1
  colorWarning: '#ad4e00', // 5.4:1
  colorError: '#cf1322', // 5.6:1
  colorTextSecondary: SECONDARY_TEXT,
  colorTextTertiary: SECONDARY_TEXT,
  colorTextDescription: SECONDARY_TEXT,
  colorTextPlaceholder: 'rgba(0, 0, 0, 0.6)',
  colorTextDisabled: 'rgba(0, 0, 0, 0.6)',
  fontFamily:
    "system-ui, -apple-system, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Source Han Sans SC', sans-serif",
};

export const normalTheme: ThemeConfig = {
  token: { ...base, fontSize: 16, lineHeight: 1.6, controlHeight: 40, controlHeightLG: 48 },
};

export const elderTheme: ThemeConfig = {
  token: {
    ...base,
    colorText: '#000000', // maximum contrast for weaker eyes
    fontSize: 20,
    fontSizeLG: 24,
    fontSizeHeading1: 36,
    fontSizeHeading2: 32,
    fontSizeHeading3: 30,
    fontSizeHeading4: 26,
    lineHeight: 1.6,
    controlHeight: 60,
    controlHeightSM: 60,
    controlHeightLG: 72,
    borderRadius: 10,
    lineWidth: 2,
    controlInteractiveSize: 28, // checkbox box size
  },
  components: {
    Button: { contentFontSize: 22, contentFontSizeLG: 30, paddingInline: 24 },
    Input: { inputFontSize: 22 },
    Select: { optionHeight: 60, optionFontSize: 22 },
    Radio: { radioSize: 28, dotSize: 14 },
  },
};
