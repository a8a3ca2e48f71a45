/**
 * 智能导办: finds matters from everyday words. A query may be Chinese (segmented by jieba,
 * colloquial words widened through a synonym table), pinyin ("shebao zhuanyi"), initials
 * ("sbzy"), or either with a typo: a wrong character that sounds the same (IME typos, 社保专移)
 * matches through pinyin, a wrong character that does not still shares the others, and a
 * mistyped pinyin word matches within a small edit distance. The index is in memory and
 * rebuilt when the catalogue changes: the full catalogue is small.
 */
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { pinyin } from 'pinyin-pro';
import { isWithinRegion } from '../../platform/access/region-scope.js';

/** Colloquial word → the words the catalogue uses. Project data; extend freely. */
export const SYNONYMS: Record<string, string[]> = {
  驾照: ['驾驶证'], 社保: ['社会保险', '社保卡'], 医保: ['医疗保险', '医保'], 生孩子: ['出生', '生育', '新生儿'],
  生娃: ['出生', '新生儿'], 宝宝: ['新生儿'], 上户口: ['户口登记', '出生登记'], 户口: ['户籍', '户口'],
  迁户口: ['户口迁移'], 公积金: ['住房公积金'], 提公积金: ['公积金提取'], 身份证: ['居民身份证'],
  结婚: ['婚姻登记', '结婚登记'], 离婚: ['离婚登记'], 开店: ['开办', '营业执照', '个体工商户'], 开饭店: ['餐饮', '食品经营'],
  开餐馆: ['餐饮', '食品经营'], 执照: ['营业执照'], 看病: ['就医'], 外地看病: ['异地就医'], 退休: ['养老金', '退休'],
  养老: ['养老保险', '养老金'], 失业金: ['失业保险金'], 上学: ['入学'], 读书: ['入学', '学籍'], 低保: ['最低生活保障'],
  车: ['机动车'], 换驾照: ['驾驶证换证'], 新车上牌: ['机动车注册登记'], 残疾证: ['残疾人证'], 转移: ['转移', '迁移'],
};

const jieba = Jieba.withDict(dict);

interface IndexedText {
  text: string;
  chars: Set<string>;
  /** Pinyin of the whole text without spaces, and where each syllable starts in it. */
  pinyin: string;
  syllableStarts: Set<number>;
  initials: string;
}

export interface SearchDocument {
  code: string; name: string; kind: 'matter' | 'bundle'; regionCode: string; department: string; category: string;
  aliases: string[];
}
interface IndexedDocument { doc: SearchDocument; texts: IndexedText[] }

export interface SearchHit extends SearchDocument { score: number; inRegion: boolean }

const CJK = /[\u3400-\u9fff]/;
const isCjk = (ch: string) => CJK.test(ch);

function indexText(text: string): IndexedText {
  const cjk = [...text].filter(isCjk).join('');
  const syllables = cjk ? pinyin(cjk, { toneType: 'none', type: 'array', v: true }) : [];
  const syllableStarts = new Set<number>();
  let pos = 0;
  for (const s of syllables) {
    syllableStarts.add(pos);
    pos += s.length;
  }
  return { text, chars: new Set(cjk), pinyin: syllables.join(''), syllableStarts, initials: syllables.map((s) => s[0]).join('') };
}

/** Levenshtein distance, bounded: gives up (returns max+1) once it cannot stay within `max`. */
function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      rowMin = Math.min(rowMin, cur[j]!);
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

/** True when `word` occurs in the text's pinyin starting at a syllable. */
function pinyinExact(word: string, t: IndexedText): boolean {
  let idx = t.pinyin.indexOf(word);
  while (idx >= 0) {
    if (t.syllableStarts.has(idx)) return true;
    idx = t.pinyin.indexOf(word, idx + 1);
  }
  return false;
}

/** How well one pinyin word (a query word in Latin letters) matches a text, 0..1 × its weight. */
function pinyinWordScore(word: string, t: IndexedText): number {
  if (!t.pinyin) return 0;
  if (pinyinExact(word, t)) return 1;
  if (word.length >= 2 && t.initials.includes(word)) return 0.8;
  if (word.length >= 4) {
    const max = word.length >= 8 ? 2 : 1;
    for (const start of t.syllableStarts) {
      // Typos rarely hit the first letter; checking it first keeps the fuzzy pass cheap.
      if (t.pinyin[start] !== word[0]) continue;
      for (const len of [word.length - 1, word.length, word.length + 1]) {
        if (start + len > t.pinyin.length) continue;
        if (editDistance(word, t.pinyin.slice(start, start + len), max) <= max) return 0.6;
      }
    }
  }
  return 0;
}

/** How well one Chinese query word matches a text: exact, same sound, or mostly the same characters. */
function chineseWordScore(word: string, wordPinyin: string, t: IndexedText): number {
  if (t.text.includes(word)) return 1;
  if (wordPinyin.length >= 4 && t.pinyin && pinyinExact(wordPinyin, t)) return 0.85;
  const chars = [...word];
  if (chars.length < 2) return 0;
  const shared = chars.filter((c) => t.chars.has(c)).length;
  return shared / chars.length >= 0.5 ? 0.5 * (shared / chars.length) : 0;
}

interface QueryTerm { weight: number; alternatives: { word: string; pinyin: string; latin: boolean }[] }

/** Parsed queries, by text: people type the same few things (社保, 公积金…) over and over. */
const parsed = new Map<string, QueryTerm[]>();
const PARSED_MAX = 2000;

function parseQuery(q: string): QueryTerm[] {
  let terms = parsed.get(q);
  if (!terms) {
    terms = parseQueryUncached(q);
    if (parsed.size >= PARSED_MAX) parsed.delete(parsed.keys().next().value!);
    parsed.set(q, terms);
  }
  return terms;
}

function parseQueryUncached(q: string): QueryTerm[] {
  const text = q.normalize('NFKC').toLowerCase().trim();
  const terms: QueryTerm[] = [];
  for (const latin of text.match(/[a-z]+/g) ?? []) {
    terms.push({ weight: Math.min(latin.length, 6) / 2, alternatives: [{ word: latin, pinyin: latin, latin: true }] });
  }
  const cjkRuns = text.match(/[\u3400-\u9fff]+/g) ?? [];
  for (const run of cjkRuns) {
    // Colloquial phrases jieba would split (生孩子 → 生/孩子) are looked up whole first.
    let rest = run;
    for (const [colloquial, formal] of Object.entries(SYNONYMS)) {
      if (colloquial.length > 1 && rest.includes(colloquial)) {
        rest = rest.replace(colloquial, ' ');
        terms.push(termFor(colloquial, formal));
      }
    }
    for (const w of rest.split(' ').flatMap((part) => (part ? jieba.cut(part, false) : []))) {
      if (STOP_WORDS.has(w)) continue;
      terms.push(termFor(w, SYNONYMS[w] ?? []));
    }
  }
  return terms;
}

const STOP_WORDS = new Set(['的', '了', '要', '办', '怎么', '如何', '什么', '我', '想', '去', '在', '哪里', '需要', '办理', '手续', '吗', '呢', '和', '在哪', '怎样']);

function termFor(word: string, synonyms: string[]): QueryTerm {
  const alternatives = [word, ...synonyms].map((w) => ({ word: w, pinyin: pinyin(w, { toneType: 'none', v: true }).replace(/\s+/g, ''), latin: false }));
  return { weight: Math.min([...word].length, 4), alternatives };
}

/** Answers per (query, region, limit): a pure function of the index, so kept as long as it lives. */
const RESULTS_MAX = 5000;

export class SearchIndex {
  private docs: IndexedDocument[] = [];
  private readonly results = new Map<string, readonly SearchHit[]>();

  constructor(documents: SearchDocument[]) {
    this.docs = documents.map((doc) => ({ doc, texts: [doc.name, ...doc.aliases, doc.category].map(indexText) }));
  }

  get size(): number {
    return this.docs.length;
  }

  /**
   * Scores each document by how much of the query it answers (0..1), keeps those answering at
   * least half, and ranks the matters of `region` (and of the levels above it, which serve it
   * too) first, then by score.
   */
  search(q: string, region: string | undefined, limit: number): readonly SearchHit[] {
    const key = `${limit}|${region ?? ''}|${q}`;
    let hits = this.results.get(key);
    if (!hits) {
      hits = this.rank(q, region, limit);
      if (this.results.size >= RESULTS_MAX) this.results.delete(this.results.keys().next().value!);
      this.results.set(key, hits);
    }
    return hits;
  }

  private rank(q: string, region: string | undefined, limit: number): SearchHit[] {
    const terms = parseQuery(q);
    if (terms.length === 0) return [];
    const total = terms.reduce((s, t) => s + t.weight, 0);
    const hits: SearchHit[] = [];
    for (const { doc, texts } of this.docs) {
      let got = 0;
      for (const term of terms) {
        let best = 0;
        for (const alt of term.alternatives) {
          for (const t of texts) {
            const s = alt.latin ? pinyinWordScore(alt.word, t) : chineseWordScore(alt.word, alt.pinyin, t);
            // The name counts a little more than an alias or the category.
            best = Math.max(best, t === texts[0] ? s : s * 0.9);
          }
        }
        got += best * term.weight;
      }
      const score = got / total;
      if (score < 0.5) continue;
      const inRegion = !!region && (isWithinRegion(doc.regionCode, region) || isWithinRegion(region, doc.regionCode));
      hits.push({ ...doc, score: Math.round(score * 1000) / 1000, inRegion });
    }
    hits.sort((a, b) => Number(b.inRegion) - Number(a.inRegion) || b.score - a.score || a.name.length - b.name.length);
    return hits.slice(0, limit);
  }
}
