/**
 * The scanning engine behind `SkillScanner`: one pass over the text with an Aho-Corasick automaton
 * over every rule's anchor literals (folded to lower case the way Unicode simple case folding
 * does for ASCII targets, including the Kelvin sign and long s), recording per line where each
 * literal starts and which rules have all their anchor groups present; at the end of such a line
 * the rule's chain steps run only at those positions (see `matchChain`). Custom rules without
 * chains run their regex on candidate lines, or on every line when they have no literal.
 * Internal.
 */

/** Non-empty, ASCII, no NUL and no newline: what the automaton can look for. */
function isAnchorLiteral(literal: string): boolean {
  if (literal.length === 0) return false;
  for (let i = 0; i < literal.length; i++) {
    const c = literal.charCodeAt(i);
    if (c === 0 || c === 10 || c > 127) return false;
  }
  return true;
}

/** One compiled chain step: a sticky regex tried where a literal of `group` starts. */
export interface EngineSegment {
  /** Index into the rule's anchors. */
  group: number;
  /** Sticky (`y`) regex for the step. */
  regex: RegExp;
  /** The gap before this step may not contain this character. */
  stop?: string;
  /**
   * Set when the step is exactly the group's only literal: the hit itself is the match (for a
   * case-insensitive rule), or a case-sensitive `startsWith` check is, so no regex runs.
   */
  literal?: string;
  /** With `literal`: whether case is ignored. */
  caseInsensitive?: boolean;
}

/** A compiled rule as the engine sees it. */
export interface EngineRule {
  /** Index in the scanner's rule order. */
  order: number;
  /** The whole-line regex, used when the rule has no chains. */
  regex: RegExp;
  /** Groups of lower-case ASCII literals; empty means "try every line". */
  anchors: readonly (readonly string[])[];
  /** Confirmation by chains of steps at literal positions (any chain matching is a match). */
  chains?: readonly (readonly EngineSegment[])[];
}

/**
 * A chain step in one fixed shape (every field always present), so the confirmation loop reads
 * them without polymorphic property loads.
 */
class Step {
  group: number;
  regex: RegExp;
  stop: string | null;
  literal: string | null;
  caseInsensitive: boolean;

  constructor(seg: EngineSegment) {
    this.group = seg.group;
    this.regex = seg.regex;
    this.stop = seg.stop ?? null;
    this.literal = seg.literal ?? null;
    this.caseInsensitive = seg.caseInsensitive ?? false;
  }
}

/** One hit: the rule's order and the 1-based line. */
export interface EngineHit {
  order: number;
  line: number;
}

const KELVIN = 0x212a; // folds to "k"
const LONG_S = 0x017f; // folds to "s"
const OUT_FLAG = -0x80000000; // bit 31: the state has outputs
const OFFSET_MASK = 0x7fffffff;

/** Index of the first value >= `min` in an ascending list. */
function lowerBound(list: number[], count: number, min: number): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid] < min) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Sorts the first `count` entries in place when they are out of order (insertion sort). */
function ascending(list: number[], count: number): number[] {
  for (let i = 1; i < count; i++) {
    const v = list[i];
    let j = i - 1;
    while (j >= 0 && list[j] > v) {
      list[j + 1] = list[j];
      j--;
    }
    list[j + 1] = v;
  }
  return list;
}

/**
 * Whether a chain matches a line. Steps are tried only where their literals start (positions are
 * absolute; `offset` is the line start). Before a `.*` gap the earliest-ending match of a step
 * is the best one, so each step takes the first literal occurrence at or after the previous
 * step's end where its regex matches. A step with `stop` must start at the first `stop`
 * character after the previous step (the gap may not contain it); if it fails there, the chain
 * restarts after that character. Every occurrence is tried at most once: linear in the hits.
 */
function matchChain(
  chain: readonly Step[],
  line: string,
  offset: number,
  positions: number[][],
  counts: Uint32Array,
  base: number,
  mixed: Uint8Array,
): boolean {
  let pos = 0;
  let step = 0;
  while (step < chain.length) {
    const seg = chain[step];
    const re = seg.regex;
    const last = step === chain.length - 1;
    if (seg.stop !== null) {
      const q = line.indexOf(seg.stop, pos);
      if (q < 0) return false;
      re.lastIndex = q;
      if (last) {
        if (re.test(line)) return true;
      } else if (re.test(line)) {
        // A sticky match leaves `lastIndex` at its end.
        pos = re.lastIndex;
        step++;
        continue;
      }
      pos = q + 1;
      step = 0;
      continue;
    }
    const g = base + seg.group;
    const count = counts[g];
    // Hits arrive in order of their end; starts are in order too unless lengths differ.
    const list = mixed[g] !== 0 ? ascending(positions[g], count) : positions[g];
    let found = false;
    for (let k = pos === 0 ? 0 : lowerBound(list, count, pos + offset); k < count; k++) {
      const at = list[k] - offset;
      if (at >= line.length) break;
      const literal = seg.literal;
      if (literal !== null) {
        if (seg.caseInsensitive || line.startsWith(literal, at)) {
          if (last) return true;
          pos = at + literal.length;
          found = true;
          break;
        }
        continue;
      }
      re.lastIndex = at;
      if (last) {
        if (re.test(line)) return true;
        continue;
      }
      if (re.test(line)) {
        pos = re.lastIndex;
        found = true;
        break;
      }
    }
    if (!found) return false;
    step++;
  }
  return true;
}

/** A reusable matcher for a fixed rule list. */
export class Matcher {
  #rules: EngineRule[];
  /** Per rule (scanner order): its chains as `Step`s, or null to run the whole-line regex. */
  #chains: (Step[][] | null)[];
  #anchored: EngineRule[] = [];
  #unanchored: EngineRule[] = [];
  /** Character code -> alphabet class (0: in no literal). */
  #fold = new Uint8Array(65536);
  #width = 1;
  #delta: Int32Array;
  /** Global group id -> rule index. */
  #groupRule: Uint32Array;
  #ruleGroupCount: Uint32Array;
  /** First global group id of each rule (its anchors are numbered from there). */
  #ruleGroupBase: Uint32Array;
  /** Per automaton state: where its (group, literal length) pairs start in the two lists. */
  #stateGroupStart: Uint32Array;
  #stateGroups: Uint32Array;
  #stateGroupLength: Uint32Array;
  /** 1 for groups whose literals differ in length (their hit starts may come out of order). */
  #mixed: Uint8Array;
  /** 1 for groups whose hit positions a chain step needs; others only gate candidates. */
  #needPositions: Uint8Array;
  /** The current scan's per-rule line stamps and group counts (see `#scanAnchored`). */
  #ruleSeen = new Uint32Array(0);
  #ruleCount = new Uint32Array(0);

  constructor(rules: EngineRule[]) {
    this.#rules = rules;
    this.#chains = rules.map((r) =>
      r.chains ? r.chains.map((chain) => chain.map((seg) => new Step(seg))) : null
    );
    const literals = new Map<string, number>();
    const litGroups: number[][] = [];
    const groupRule: number[] = [];
    const ruleGroupCount: number[] = new Array(rules.length).fill(0);
    const ruleGroupBase: number[] = new Array(rules.length).fill(0);
    rules.forEach((r, ri) => {
      const usable = r.anchors.length > 0 &&
        r.anchors.every((g) =>
          g.length > 0 &&
          g.every((l) => l.length > 0 && isAnchorLiteral(l))
        );
      if (!usable) {
        this.#unanchored.push(r);
        return;
      }
      this.#anchored.push(r);
      ruleGroupBase[ri] = groupRule.length;
      for (const group of r.anchors) {
        const gid = groupRule.length;
        groupRule.push(ri);
        ruleGroupCount[ri]++;
        for (const raw of new Set(group.map((l) => l.toLowerCase()))) {
          let id = literals.get(raw);
          if (id === undefined) {
            id = literals.size;
            literals.set(raw, id);
            litGroups.push([]);
          }
          litGroups[id].push(gid);
        }
      }
    });
    const litLengthOf: number[] = [];
    for (const [lit, id] of literals) litLengthOf[id] = lit.length;
    // Alphabet: one class per distinct character of the literals, 0 for everything else.
    const classOf = new Map<number, number>();
    for (const lit of literals.keys()) {
      for (let i = 0; i < lit.length; i++) {
        const c = lit.charCodeAt(i);
        if (!classOf.has(c)) classOf.set(c, classOf.size + 1);
      }
    }
    const width = classOf.size + 2;
    for (let c = 0; c < 128; c++) {
      const lower = c >= 65 && c <= 90 ? c + 32 : c;
      this.#fold[c] = classOf.get(lower) ?? 0;
    }
    this.#fold[10] = width - 1;
    this.#fold[KELVIN] = classOf.get(0x6b) ?? 0;
    this.#fold[LONG_S] = classOf.get(0x73) ?? 0;
    this.#width = width;
    // Trie.
    const next: number[][] = [new Array(width).fill(-1)];
    const outputs: number[][] = [[]];
    for (const [lit, id] of literals) {
      let s = 0;
      for (let i = 0; i < lit.length; i++) {
        const k = classOf.get(lit.charCodeAt(i))!;
        if (next[s][k] < 0) {
          next[s][k] = next.length;
          next.push(new Array(width).fill(-1));
          outputs.push([]);
        }
        s = next[s][k];
      }
      outputs[s].push(id);
    }
    // Failure links, breadth first, turned into a full transition table.
    const fail = new Array(next.length).fill(0);
    const queue: number[] = [];
    for (let k = 0; k < width; k++) {
      const t = next[0][k];
      if (t < 0) next[0][k] = 0;
      else {
        fail[t] = 0;
        queue.push(t);
      }
    }
    // Class 0 never appears in a literal: always back to the root.
    for (let head = 0; head < queue.length; head++) {
      const s = queue[head];
      outputs[s].push(...outputs[fail[s]]);
      for (let k = 0; k < width; k++) {
        const t = next[s][k];
        if (t < 0) next[s][k] = next[fail[s]][k];
        else {
          fail[t] = next[fail[s]][k];
          queue.push(t);
        }
      }
    }
    // Entries are pre-multiplied row offsets (next state * width); bit 31 marks a transition
    // that needs the slow path: into a state with outputs, or on a newline (class width - 1,
    // which always leads back to the root). The hot loop is then one table load per character.
    this.#delta = new Int32Array(next.length * width);
    next.forEach((row, s) =>
      row.forEach((t, k) => {
        const flag = outputs[t].length > 0 ? OUT_FLAG : 0;
        this.#delta[s * width + k] = k === width - 1 ? OUT_FLAG : (t * width) | flag;
      })
    );
    this.#mixed = new Uint8Array(groupRule.length);
    rules.forEach((r, ri) => {
      if (this.#anchored.includes(r)) {
        r.anchors.forEach((group, k) => {
          if (new Set(group.map((l) => l.length)).size > 1) this.#mixed[ruleGroupBase[ri] + k] = 1;
        });
      }
    });
    this.#groupRule = Uint32Array.from(groupRule);
    this.#ruleGroupCount = Uint32Array.from(ruleGroupCount);
    this.#ruleGroupBase = Uint32Array.from(ruleGroupBase);
    // Per automaton state, the (group, literal length) pairs of every literal ending there.
    this.#stateGroupStart = new Uint32Array(next.length + 1);
    const sg: number[] = [];
    const sgLen: number[] = [];
    outputs.forEach((o, st) => {
      this.#stateGroupStart[st] = sg.length;
      const seen = new Set<string>();
      for (const lit of new Set(o)) {
        for (const g of litGroups[lit]) {
          const key = `${g}:${litLengthOf[lit]}`;
          if (seen.has(key)) continue;
          seen.add(key);
          sg.push(g);
          sgLen.push(litLengthOf[lit]);
        }
      }
    });
    this.#stateGroupStart[next.length] = sg.length;
    this.#stateGroups = Uint32Array.from(sg);
    this.#stateGroupLength = Uint32Array.from(sgLen);
    this.#needPositions = new Uint8Array(groupRule.length);
    rules.forEach((r, ri) => {
      for (const chain of r.chains ?? []) {
        for (const seg of chain) this.#needPositions[ruleGroupBase[ri] + seg.group] = 1;
      }
    });
  }

  /** Every (rule, line) pair that matches, sorted by line then rule order. */
  scan(text: string): EngineHit[] {
    const hits: EngineHit[] = [];
    if (this.#anchored.length > 0) this.#scanAnchored(text, hits);
    if (this.#unanchored.length > 0) this.#scanEveryLine(text, hits);
    if (this.#unanchored.length > 0 && this.#anchored.length > 0) {
      hits.sort((a, b) => a.line - b.line || a.order - b.order);
    }
    return hits;
  }

  #scanAnchored(text: string, hits: EngineHit[]): void {
    const rules = this.#rules;
    const fold = this.#fold;
    const delta = this.#delta;
    const width = this.#width;
    const stateGroupStart = this.#stateGroupStart;
    const stateGroups = this.#stateGroups;
    const stateGroupLength = this.#stateGroupLength;
    const groupRule = this.#groupRule;
    const ruleGroupCount = this.#ruleGroupCount;
    const needPositions = this.#needPositions;
    const groupCount = groupRule.length;
    const groupSeen = new Uint32Array(groupCount);
    const ruleSeen = this.#ruleSeen = new Uint32Array(rules.length);
    const ruleCount = this.#ruleCount = new Uint32Array(rules.length);
    // Start positions of each group's literal hits on the current line (filled lazily).
    // Arrays are reused across lines (never shrunk); `counts` says how much of each is live.
    const positions: number[][] = Array.from({ length: groupCount }, () => []);
    const counts = new Uint32Array(groupCount);
    // Rules whose every anchor group has a hit on the current line; reused, `nCand` live.
    const candidates = new Uint32Array(rules.length);
    let nCand = 0;
    let line = 1;
    let lineStart = 0;
    let state = 0;
    const n = text.length;
    // The hot loop does one table load per character; only flagged transitions (a literal ends
    // here, or a newline) call out.
    const onNewline = (i: number): void => {
      {
        if (nCand !== 0) {
          this.#confirm(text, lineStart, i, line, candidates, nCand, positions, counts, hits);
          nCand = 0;
        }
        line++;
        lineStart = i + 1;
      }
    };
    for (let i = 0; i < n; i++) {
      const t = delta[state + fold[text.charCodeAt(i)]];
      if (t >= 0) {
        state = t;
        continue;
      }
      state = t & OFFSET_MASK;
      if (state === 0 && text.charCodeAt(i) === 10) {
        onNewline(i);
        continue;
      }
      const st = (state / width) | 0;
      for (let j = stateGroupStart[st], end = stateGroupStart[st + 1]; j < end; j++) {
        const g = stateGroups[j];
        if (groupSeen[g] !== line) {
          // First hit of the group on this line: its position count starts over (counts of
          // groups not seen on a line are stale, but only groups of candidates are read).
          groupSeen[g] = line;
          counts[g] = 0;
          const r = groupRule[g];
          if (ruleSeen[r] !== line) {
            ruleSeen[r] = line;
            ruleCount[r] = 0;
          }
          if (++ruleCount[r] === ruleGroupCount[r]) candidates[nCand++] = r;
        }
        if (needPositions[g] !== 0) positions[g][counts[g]++] = i + 1 - stateGroupLength[j];
      }
    }
    if (nCand !== 0) {
      this.#confirm(text, lineStart, n, line, candidates, nCand, positions, counts, hits);
    }
  }

  #confirm(
    text: string,
    start: number,
    end: number,
    line: number,
    candidates: Uint32Array,
    nCand: number,
    positions: number[][],
    counts: Uint32Array,
    hits: EngineHit[],
  ): void {
    if (end > start && text.charCodeAt(end - 1) === 13) end--;
    const lineText = text.slice(start, end);
    if (nCand * 8 >= candidates.length) {
      // Many candidates (they arrive in no particular order): collect them in rule order.
      const ruleSeen = this.#ruleSeen;
      const ruleCount = this.#ruleCount;
      const ruleGroupCount = this.#ruleGroupCount;
      for (let r = 0, c = 0; c < nCand; r++) {
        if (ruleSeen[r] === line && ruleCount[r] === ruleGroupCount[r]) candidates[c++] = r;
      }
    } else {
      // Few: rule order by insertion sort (short, no comparator calls).
      for (let i = 1; i < nCand; i++) {
        const v = candidates[i];
        let j = i - 1;
        while (j >= 0 && candidates[j] > v) {
          candidates[j + 1] = candidates[j];
          j--;
        }
        candidates[j + 1] = v;
      }
    }
    for (let c = 0; c < nCand; c++) {
      const r = candidates[c];
      const rule = this.#rules[r];
      let matched = false;
      const chains = this.#chains[r];
      if (chains !== null) {
        const base = this.#ruleGroupBase[r];
        for (let c2 = 0; c2 < chains.length; c2++) {
          if (matchChain(chains[c2], lineText, start, positions, counts, base, this.#mixed)) {
            matched = true;
            break;
          }
        }
      } else matched = rule.regex.test(lineText);
      if (matched) hits.push({ order: rule.order, line });
    }
  }

  #scanEveryLine(text: string, hits: EngineHit[]): void {
    const rules = this.#unanchored;
    let line = 1;
    let start = 0;
    const n = text.length;
    while (start < n) {
      let end = text.indexOf("\n", start);
      if (end < 0) end = n;
      let stop = end;
      if (stop > start && text.charCodeAt(stop - 1) === 13) stop--;
      const lineText = text.slice(start, stop);
      for (const rule of rules) {
        if (rule.regex.test(lineText)) hits.push({ order: rule.order, line });
      }
      line++;
      start = end + 1;
    }
  }
}
