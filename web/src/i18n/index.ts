// i18next set-up: 简体中文 by default, English complete. All strings live in the two JSON files;
// test/browser/i18n-complete.test.ts checks both have the same keys.
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import zhCN from './zh-CN.json';
import en from './en.json';
// The officials' consoles keep their strings apart (own top-level keys; the test checks no clash).
import consolesZhCN from './consoles.zh-CN.json';
import consolesEn from './consoles.en.json';
import { getPreferences } from '../elder/preferences';

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: { ...zhCN, ...consolesZhCN } }, en: { translation: { ...en, ...consolesEn } } },
  lng: getPreferences().language,
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false }, // React escapes already
  returnNull: false,
});

export default i18n;
