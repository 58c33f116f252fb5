import { useState } from 'react';

/**
 * Cursor paging as the API does it: `next_cursor` leads forward; the cursors seen so far lead back.
 * The stack starts over whenever `resetKey` (the filters) changes.
 */
export function useCursorPages(resetKey: string) {
  const [state, setState] = useState<{ key: string; stack: (string | undefined)[] }>({ key: resetKey, stack: [undefined] });
  const stack = state.key === resetKey ? state.stack : [undefined];
  const set = (next: (string | undefined)[]) => setState({ key: resetKey, stack: next });
  return {
    cursor: stack[stack.length - 1],
    hasPrevious: stack.length > 1,
    next: (cursor: string) => set([...stack, cursor]),
    previous: () => set(stack.slice(0, -1)),
    first: () => set([undefined]),
  };
}
