// Many literals replaced in one text, in the order given, in time near linear in the text: what
// `text.split(l).join(w)` for each literal in turn does, without walking the whole text once per
// literal (a Newman report can hold 20,000 tokens in one recorded body, or 20,000 findings whose
// places must each be masked).

/** Where any of a set of literals occurs in a text: one rolling-hash pass per distinct length. */
export class LiteralIndex {
  private readonly byLength = new Map<number, Map<number, string[]>>();
  private static readonly MOD = 67_108_859; // a prime below 2^26: hash * BASE stays exact in a double
  private static readonly BASE = 65_537;

  constructor(literals: Iterable<string>) {
    for (const literal of literals) {
      if (!literal) continue;
      let table = this.byLength.get(literal.length);
      if (!table) this.byLength.set(literal.length, (table = new Map()));
      const h = LiteralIndex.hash(literal, 0, literal.length);
      const bucket = table.get(h);
      if (!bucket) table.set(h, [literal]);
      else if (!bucket.includes(literal)) bucket.push(literal);
    }
  }

  get size(): number {
    return this.byLength.size;
  }

  private static hash(text: string, from: number, to: number): number {
    let h = 0;
    for (let i = from; i < to; i++) h = (h * LiteralIndex.BASE + text.charCodeAt(i)) % LiteralIndex.MOD;
    return h;
  }

  /** Every occurrence, overlapping ones included: for each length, by position. */
  *occurrences(text: string): Generator<{ at: number; literal: string }> {
    const { MOD, BASE } = LiteralIndex;
    for (const [length, table] of this.byLength) {
      if (length > text.length) continue;
      // BASE^(length-1) mod MOD, to take the leading character out of the window.
      let lead = 1;
      for (let i = 1; i < length; i++) lead = (lead * BASE) % MOD;
      let h = LiteralIndex.hash(text, 0, length);
      for (let at = 0; ; at++) {
        const bucket = table.get(h);
        if (bucket) for (const literal of bucket) if (text.startsWith(literal, at)) yield { at, literal };
        // Stryker disable next-line EqualityOperator,ArithmeticOperator: one more window past the end hashes NaN, which no bucket holds
        if (at + length >= text.length) break;
        h = (h - ((text.charCodeAt(at) * lead) % MOD) + MOD) % MOD;
        h = (h * BASE + text.charCodeAt(at + length)) % MOD;
      }
    }
  }
}

/** Counts of covered positions (a Fenwick tree): is any position of [from, to) covered yet? */
class Covered {
  private readonly tree: Int32Array;
  constructor(private readonly length: number) {
    this.tree = new Int32Array(length + 1);
  }
  private prefix(end: number): number {
    let sum = 0;
    for (let i = end; i > 0; i -= i & -i) sum += this.tree[i]!;
    return sum;
  }
  any(from: number, to: number): boolean {
    return this.prefix(to) - this.prefix(from) > 0;
  }
  cover(from: number, to: number): void {
    for (let p = from; p < to; p++) for (let i = p + 1; i <= this.length; i += i & -i) this.tree[i]!++;
  }
}

export interface Replacement {
  literal: string;
  with: string;
}

/**
 * A replacement after which no new occurrence of this literal can appear: its replacement text is
 * bracketed (`{{…}}`, `<…>`), the literal holds no bracket and is no part of any replacement text.
 * A new occurrence would have to overlap a replacement text, so hold one of its brackets or lie
 * inside it.
 */
function settled(r: Replacement, withs: string[]): boolean {
  return /^[{<][^]*[}>]$/.test(r.with) && !/[{}<>]/.test(r.literal) && !withs.some((w) => w.includes(r.literal));
}

/**
 * Exactly `replacements.reduce((t, r) => t.split(r.literal).join(r.with), text)`. Runs of settled
 * replacements go in one pass: each literal takes, leftmost first and without overlapping itself,
 * its occurrences in the text that no earlier literal took, which is what its split would see.
 * Any other replacement is a split of its own.
 */
export function replaceInOrder(text: string, replacements: Replacement[]): string {
  // Stryker disable next-line ConditionalExpression,EqualityOperator: both paths give the same text (the property test); this one is cheaper for few
  if (replacements.length <= 2) return replacements.reduce((t, r) => t.split(r.literal).join(r.with), text);
  const withs = [...new Set(replacements.map((r) => r.with))];
  let out = text;
  for (let i = 0; i < replacements.length; ) {
    if (!settled(replacements[i]!, withs)) {
      out = out.split(replacements[i]!.literal).join(replacements[i]!.with);
      i++;
      continue;
    }
    let j = i;
    while (j < replacements.length && settled(replacements[j]!, withs)) j++;
    out = replaceSettled(out, replacements.slice(i, j));
    i = j;
  }
  return out;
}

function replaceSettled(text: string, replacements: Replacement[]): string {
  const places = new Map<string, number[]>();
  for (const r of replacements) places.set(r.literal, []);
  for (const { at, literal } of new LiteralIndex(places.keys()).occurrences(text)) places.get(literal)!.push(at);
  // Each place a literal takes is covered: neither a later literal nor the same one (overlapping
  // itself, or given twice) takes a covered position, which is what its split would see.
  const covered = new Covered(text.length);
  const taken: Array<{ at: number; end: number; with: string }> = [];
  for (const r of replacements) {
    for (const at of places.get(r.literal)!) {
      const end = at + r.literal.length;
      if (covered.any(at, end)) continue;
      covered.cover(at, end);
      taken.push({ at, end, with: r.with });
    }
  }
  taken.sort((a, b) => a.at - b.at);
  const parts: string[] = [];
  let from = 0;
  for (const t of taken) {
    parts.push(text.slice(from, t.at), t.with);
    from = t.end;
  }
  parts.push(text.slice(from));
  return parts.join('');
}
