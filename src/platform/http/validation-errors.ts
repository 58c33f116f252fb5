/**
 * Turns Ajv's error list into what a person can act on. Ajv reports a failed `anyOf` as every
 * branch's first error followed by "must match a schema in anyOf"; a caller who sent a nearly
 * right object wants to hear what is wrong with it, not why it is also not `null`. So each failed
 * union is replaced by one error: the branch that got furthest into the value, or, when every
 * branch failed on the value itself, one sentence naming all the accepted types or values.
 */

export interface AjvError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

const UNION = new Set(['anyOf', 'oneOf']);
const depth = (error: AjvError) => (error.instancePath === '' ? 0 : error.instancePath.split('/').length - 1);
const within = (error: AjvError, path: string) => error.instancePath === path || error.instancePath.startsWith(`${path}/`);

/** Several branches that all failed on the value itself, said once: "must be string or null". */
function merged(union: AjvError, branches: AjvError[]): AjvError | undefined {
  if (branches.some((b) => b.instancePath !== union.instancePath)) return undefined;
  if (branches.every((b) => b.keyword === 'type')) {
    const types = [...new Set(branches.flatMap((b) => String(b.params.type).split(',')))];
    return { ...union, keyword: 'type', message: `must be ${types.join(' or ')}`, params: { type: types.join(',') } };
  }
  if (branches.every((b) => ['const', 'enum', 'type'].includes(b.keyword))) {
    const values = branches.flatMap((b) =>
      b.keyword === 'const' ? [b.params.allowedValue] : b.keyword === 'enum' ? (b.params.allowedValues as unknown[]) : [],
    );
    if (values.length === 0) return undefined;
    const allowNull = branches.some((b) => b.keyword === 'type' && b.params.type === 'null');
    const allowed = [...values.map((v) => JSON.stringify(v)), ...(allowNull ? ['null'] : [])];
    return { ...union, keyword: 'enum', message: `must be one of ${allowed.join(', ')}`, params: { allowedValues: values } };
  }
  return undefined;
}

/** The branch error that went deepest into the value; at equal depth, one past a type check. */
function closest(branches: AjvError[]): AjvError | undefined {
  let best: AjvError | undefined;
  for (const branch of branches) {
    if (!best || depth(branch) > depth(best) || (depth(branch) === depth(best) && best.keyword === 'type' && branch.keyword !== 'type')) best = branch;
  }
  return best;
}

export function condenseUnionErrors(errors: AjvError[]): AjvError[] {
  const out: AjvError[] = [];
  for (const error of errors) {
    if (!UNION.has(error.keyword)) {
      out.push(error);
      continue;
    }
    // With allErrors off, a failed union's branch errors are the entries right before it.
    let start = out.length;
    for (let before = out[start - 1]; before && within(before, error.instancePath); before = out[start - 1]) start -= 1;
    const branches = out.splice(start);
    out.push(merged(error, branches) ?? closest(branches) ?? error);
  }
  return out;
}
