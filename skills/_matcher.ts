/**
 * The scanning engine behind `SkillScanner`: one pass over the text with an Aho-Corasick automaton
 * over every rule's anchor literals (folded to lower case the way Unicode simple case folding
 * does for ASCII targets), tracking per line which rules have all their anchor groups present,
 * then the rule's linear-time regex on just those lines. Rules without anchors are tried on every
 * line. Internal.
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

/** A compiled rule as the engine sees it. */
export interface EngineRule {
  /** Index in the scanner's rule order. */
  order: number;
  regex: RegExp;
  /** Groups of lower-case ASCII literals; empty means "try every line". */
  anchors: readonly (readonly string[])[];
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

/** A reusable matcher for a fixed rule list. */
export class Matcher {
  #rules: EngineRule[];
  #anchored: EngineRule[] = [];
  #unanchored: EngineRule[] = [];
  /** Character code -> alphabet class (0: in no literal). */
  #fold = new Uint8Array(65536);
  #width = 1;
  #delta: Int32Array;
  #outStart: Uint32Array;
  #outList: Uint32Array;
  /** literal id -> groups (global ids) */
  #litGroupStart: Uint32Array;
  #litGroups: Uint32Array;
  #groupRule: Uint32Array;
  #ruleGroupCount: Uint32Array;

  constructor(rules: EngineRule[]) {
    this.#rules = rules;
    const literals = new Map<string, number>();
    const litGroups: number[][] = [];
    const groupRule: number[] = [];
    const ruleGroupCount: number[] = new Array(rules.length).fill(0);
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
    this.#outStart = new Uint32Array(next.length + 1);
    const flat: number[] = [];
    outputs.forEach((o, s) => {
      this.#outStart[s] = flat.length;
      flat.push(...new Set(o));
    });
    this.#outStart[next.length] = flat.length;
    this.#outList = Uint32Array.from(flat);
    this.#litGroupStart = new Uint32Array(litGroups.length + 1);
    const lg: number[] = [];
    litGroups.forEach((g, i) => {
      this.#litGroupStart[i] = lg.length;
      lg.push(...g);
    });
    this.#litGroupStart[litGroups.length] = lg.length;
    this.#litGroups = Uint32Array.from(lg);
    this.#groupRule = Uint32Array.from(groupRule);
    this.#ruleGroupCount = Uint32Array.from(ruleGroupCount);
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
    const outStart = this.#outStart;
    const outList = this.#outList;
    const litGroupStart = this.#litGroupStart;
    const litGroups = this.#litGroups;
    const groupRule = this.#groupRule;
    const ruleGroupCount = this.#ruleGroupCount;
    const groupSeen = new Uint32Array(groupRule.length);
    const ruleSeen = new Uint32Array(rules.length);
    const ruleCount = new Uint32Array(rules.length);
    let candidates: number[] = [];
    let line = 1;
    let lineStart = 0;
    let state = 0;
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const t = delta[state + fold[text.charCodeAt(i)]];
      if (t >= 0) {
        state = t;
        continue;
      }
      state = t & OFFSET_MASK;
      if (text.charCodeAt(i) === 10) {
        if (candidates.length !== 0) {
          this.#confirm(text, lineStart, i, line, candidates, hits);
          candidates = [];
        }
        line++;
        lineStart = i + 1;
        continue;
      }
      const s = state / width;
      for (let j = outStart[s], oEnd = outStart[s + 1]; j < oEnd; j++) {
        const lit = outList[j];
        for (let q = litGroupStart[lit], qEnd = litGroupStart[lit + 1]; q < qEnd; q++) {
          const g = litGroups[q];
          if (groupSeen[g] === line) continue;
          groupSeen[g] = line;
          const r = groupRule[g];
          if (ruleSeen[r] !== line) {
            ruleSeen[r] = line;
            ruleCount[r] = 0;
          }
          if (++ruleCount[r] === ruleGroupCount[r]) candidates.push(r);
        }
      }
    }
    if (candidates.length !== 0) this.#confirm(text, lineStart, n, line, candidates, hits);
  }

  #confirm(
    text: string,
    start: number,
    end: number,
    line: number,
    candidates: number[],
    hits: EngineHit[],
  ): void {
    if (end > start && text.charCodeAt(end - 1) === 13) end--;
    const lineText = text.slice(start, end);
    if (candidates.length > 1) candidates.sort((a, b) => a - b);
    for (const r of candidates) {
      const rule = this.#rules[r];
      if (rule.regex.test(lineText)) hits.push({ order: rule.order, line });
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
