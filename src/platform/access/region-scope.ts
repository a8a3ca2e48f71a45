/**
 * Region scope by code prefix. Official codes (GB/T 2260 + statistical extensions) nest by
 * prefix once trailing zero groups are dropped: 330000 浙江省 → "33", 330100 杭州市 → "3301",
 * 330106 西湖区, 330106002 北山街道, 330106002001 a 社区. Project-defined units below a 社区
 * (网格 G, 楼栋 B, 户 H) append to their parent's code, e.g. 330106002001G01B03H0201,
 * so "is X inside Y" stays a prefix test all the way down to a household.
 */
export function scopePrefix(code: string): string {
  if (/^\d{12}$/.test(code)) {
    if (code.endsWith('000000')) return scopePrefix(code.slice(0, 6));
    if (code.endsWith('000')) return code.slice(0, 9);
    return code;
  }
  if (/^\d{6}$/.test(code)) {
    if (code.endsWith('0000')) return code.slice(0, 2);
    if (code.endsWith('00')) return code.slice(0, 4);
  }
  return code;
}

/** True when `code` is the region `scope` itself or lies anywhere below it. */
export function isWithinRegion(code: string | undefined | null, scope: string | undefined | null): boolean {
  if (!code || !scope) return false;
  return scopePrefix(code).startsWith(scopePrefix(scope));
}

const REGION_CODE = /^(\d{6}|\d{9}|\d{12}(G\d{2,3}(B\d{2,4}(H\d{2,6})?)?)?)$/;

export function isRegionCodeShape(code: string): boolean {
  return REGION_CODE.test(code);
}
