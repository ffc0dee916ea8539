// Which attributes of a TorchScript module are its state: the `__parameters__` and
// `__buffers__` lists that torch.jit.save writes into each class's source under `code/`.
// A scripted module's pickle holds every attribute (plain tensor attributes too), while its
// state_dict() holds only these; the class source is read as text, never run.

/** Declared parameters and buffers of a class, or undefined when its source is not in the archive. */
export type ScriptMembers = (className: string) => ReadonlySet<string> | undefined;

/** The largest class source read: generated code of a module is a few KiB. */
export const MAX_SCRIPT_SOURCE_BYTES = 16 << 20;

/**
 * Where torch.jit.save puts a class's source: `__torch__.torch.nn.modules.linear.Linear` in
 * `code/__torch__/torch/nn/modules/linear.py`, as the class `Linear`.
 */
export function sourcePathOf(className: string): { path: string; name: string } | undefined {
  const cut = className.lastIndexOf('.');
  if (cut <= 0) return undefined;
  return { path: `code/${className.slice(0, cut).split('.').join('/')}.py`, name: className.slice(cut + 1) };
}

/** The names in `__parameters__` and `__buffers__` of `class <name>(Module):` in `source`, or undefined. */
export function declaredMembers(source: string, name: string): Set<string> | undefined {
  const lines = source.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`class ${name}(`));
  if (start < 0) return undefined;
  const members = new Set<string>();
  let declared = false;
  for (let i = start + 1; i < lines.length && !lines[i].startsWith('class '); i++) {
    const match = /^\s+__(parameters|buffers)__ = \[(.*)\]\s*$/.exec(lines[i]);
    if (!match) continue;
    declared = true;
    for (const quoted of match[2].matchAll(/"([^"]*)"/g)) members.add(quoted[1]);
  }
  return declared ? members : undefined;
}
