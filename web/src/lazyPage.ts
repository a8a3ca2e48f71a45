// React.lazy for pages that are named exports: `lazyPage(() => import('./pages/X'), 'X')`.
// The Suspense boundary is in AppLayout, around the page outlet, so the frame stays put.
import { lazy, type ComponentType } from 'react';

export function lazyPage<M extends Record<K, ComponentType>, K extends keyof M & string>(load: () => Promise<M>, name: K) {
  return lazy(async () => ({ default: (await load())[name] }));
}
