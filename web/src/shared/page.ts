import { useEffect } from 'react';

/** The page's title (what a screen reader announces and the tab shows). */
export function usePageTitle(title: string | undefined) {
  useEffect(() => {
    if (title) document.title = `${title} · Guichet`;
  }, [title]);
}
