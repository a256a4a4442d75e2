import { useEffect } from 'react';

/** Sets the browser tab title, so tabs and history entries name the screen. */
export function usePageTitle(title: string | undefined): void {
  useEffect(() => {
    document.title = title ? `${title} · Clientele` : 'Clientele';
  }, [title]);
}
