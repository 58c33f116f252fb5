/**
 * Reading the guides as a script: their ```sh / ```bash blocks are the commands a reader types,
 * and a ```text block right after one (nothing but blank lines between) is what the guide says those commands print.
 */

export interface StoryBlock {
  /** `guide-x.md:<line>`, for messages. */
  where: string;
  code: string;
  /** The output the guide shows for this block, if it shows one. */
  expected?: string;
}

const FENCE = /^( *)```(\w*)[^\n]*\n([\s\S]*?)^\1```[ \t]*$/gm;

/** The command blocks of one guide, in order, each with the output block that follows it. */
export function storyBlocks(guide: string, markdown: string): StoryBlock[] {
  const blocks: StoryBlock[] = [];
  let previousEnd = 0;
  for (const match of markdown.matchAll(FENCE)) {
    const [whole, indent = '', language = '', body = ''] = match;
    const start = match.index;
    const code = body
      .split('\n')
      .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line))
      .join('\n')
      .trimEnd();
    const last = blocks.at(-1);
    if (language === 'sh' || language === 'bash') {
      blocks.push({ where: `${guide}:${markdown.slice(0, start).split('\n').length}`, code });
    } else if (language === 'text' && last && last.expected === undefined && !markdown.slice(previousEnd, start).trim()) {
      last.expected = code;
    }
    previousEnd = start + whole.length;
  }
  return blocks;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Whether `output` shows every line of `expected`, in order, each as a whole line (after trimming),
 * where `…` stands for any run of characters. Undefined when it does, else what is missing.
 */
export function expectedOutputMismatch(expected: string, output: string): string | undefined {
  const lines = output.split('\n').map((line) => line.trim());
  let from = 0;
  for (const wanted of expected.split('\n').map((line) => line.trim())) {
    if (!wanted) continue;
    const pattern = new RegExp(`^${wanted.split('…').map(escape).join('.*')}$`);
    const found = lines.findIndex((line, i) => i >= from && pattern.test(line));
    if (found < 0) return `the output has no line like ${JSON.stringify(wanted)} after line ${from + 1}`;
    from = found + 1;
  }
  return undefined;
}
