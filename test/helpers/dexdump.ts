// Parses Debian's `dexdump -d <apk>` output (streamed: it runs to hundreds of MB) into what the
// DEX reader must agree with: class descriptors, and per method the invoked method references.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface DexdumpFacts {
  classes: string[];
  /** "Lcls;.name:(proto)" → invoked references in code order (methods with ≥ 1 invoke only). */
  invokes: Map<string, string[]>;
  invokeCount: number;
}

const CLASS_RE = /^ {2}Class descriptor {2}: '(.*)'$/;
const MEMBER_RE = /^ {4}#\d+ +: \(in (.*)\)$/;
const NAME_RE = /^ {6}name {10}: '(.*)'$/;
const TYPE_RE = /^ {6}type {10}: '(.*)'$/;
// invoke-* and invoke-*/range; invoke-polymorphic adds ", proto" after the reference.
const INVOKE_RE = /\|[0-9a-f]{4}: invoke-(?!custom)[a-z-]+(?:\/range)? \{[^}]*\}, (\S+?:\([^)]*\)[^\s,]+)/;

export function runDexdump(apk: string): Promise<DexdumpFacts> {
  return new Promise((resolve, reject) => {
    const child = spawn('dexdump', ['-d', apk], { stdio: ['ignore', 'pipe', 'ignore'] });
    const facts: DexdumpFacts = { classes: [], invokes: new Map(), invokeCount: 0 };
    let owner = '';
    let name = '';
    let key = '';
    const rl = createInterface({ input: child.stdout, crlfDelay: Number.POSITIVE_INFINITY });
    rl.on('line', (line) => {
      if (line.includes(': invoke-') && line.includes('|')) {
        const m = INVOKE_RE.exec(line);
        if (m && key) {
          const list = facts.invokes.get(key) ?? [];
          list.push(m[1] ?? '');
          facts.invokes.set(key, list);
          facts.invokeCount++;
        }
        return;
      }
      let m = CLASS_RE.exec(line);
      if (m) {
        facts.classes.push(m[1] ?? '');
        key = '';
        return;
      }
      m = MEMBER_RE.exec(line);
      if (m) {
        owner = m[1] ?? '';
        key = '';
        return;
      }
      m = NAME_RE.exec(line);
      if (m) {
        name = m[1] ?? '';
        return;
      }
      m = TYPE_RE.exec(line);
      if (m) key = `${owner}.${name}:${m[1]}`;
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(facts) : reject(new Error(`dexdump exited ${code}`))));
  });
}
