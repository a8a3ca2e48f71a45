// Reads the page's main content aloud with the Web Speech API, for people who find reading hard.
// Browsers without speech synthesis (or without any voice) get a clear message instead.

export type ReadAloudResult = 'started' | 'unsupported' | 'empty';

export function isSpeechAvailable(): boolean {
  return typeof window !== 'undefined' && 'speechSynthesis' in window && 'SpeechSynthesisUtterance' in window;
}

export function isSpeaking(): boolean {
  return isSpeechAvailable() && window.speechSynthesis.speaking;
}

export function stopReading(): void {
  if (isSpeechAvailable()) window.speechSynthesis.cancel();
}

/** Speaks the text of `root` (the <main> landmark) in `lang`; `onEnd` fires when it finishes. */
export function readAloud(root: HTMLElement | null, lang: string, onEnd: () => void): ReadAloudResult {
  if (!isSpeechAvailable()) return 'unsupported';
  const text = root?.innerText.replace(/\s+/g, ' ').trim() ?? '';
  if (!text) return 'empty';
  window.speechSynthesis.cancel();
  // Long pages are split by sentence: some engines stop silently after ~15 s of one utterance.
  const sentences = text.match(/[^。！？.!?]+[。！？.!?]?/g) ?? [text];
  sentences.forEach((sentence, index) => {
    const utterance = new SpeechSynthesisUtterance(sentence);
    utterance.lang = lang;
    utterance.rate = 0.9; // a little slower than default, easier to follow
    if (index === sentences.length - 1) {
      utterance.onend = onEnd;
      utterance.onerror = onEnd;
    }
    window.speechSynthesis.speak(utterance);
  });
  return 'started';
}
