/**
 * Solid, dark tag colours: antd's light "success"/"error" presets fall below 4.5:1 contrast once
 * a card tints the background, so status tags use these (white text on them is ≥ 7:1).
 */
export const STATUS_TAG = { ok: '#135200', bad: '#a8071a', neutral: '#434343' } as const;
