/**
 * Whether the server said its database cannot be reached (an API answer 503 `unavailable`).
 * While so, /readyz is asked every few seconds; when it answers 200 again the state clears by
 * itself and `onRecovered` runs (the app reloads its data), so nobody has to reload the page.
 */
export type DatabaseStatus = {
  isUnreachable: () => boolean;
  subscribe: (listener: () => void) => () => void;
  reportUnavailable: () => void;
};

export function createDatabaseStatus(options: {
  probe: () => Promise<boolean>;
  intervalMs?: number;
  onRecovered?: () => void;
}): DatabaseStatus {
  const intervalMs = options.intervalMs ?? 3000;
  const listeners = new Set<() => void>();
  let isUnreachable = false;
  const set = (value: boolean) => {
    if (value === isUnreachable) return;
    isUnreachable = value;
    listeners.forEach((listener) => listener());
  };
  const poll = () => {
    window.setTimeout(() => {
      options.probe().then(
        (isReady) => {
          if (!isReady) return poll();
          set(false);
          options.onRecovered?.();
        },
        () => poll(),
      );
    }, intervalMs);
  };
  return {
    isUnreachable: () => isUnreachable,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    reportUnavailable() {
      if (isUnreachable) return;
      set(true);
      poll();
    },
  };
}
