// Map image history entries (config.history[].created_by) back to Dockerfile lines.
// What Engine 26.1 writes, observed:
//   BuildKit: `RUN |1 X=1 /bin/sh -c echo built # buildkit`, `COPY /out.txt /out.txt # buildkit`
//             (COPY --from drops the flag, keeps --chown), `COPY <<EOF /src/main.go # buildkit`,
//             `WORKDIR /src`, `ENV A=b`, `ARG X=1`, `USER 1`, `ENTRYPOINT ["/bin/hello"]`.
//   classic:  `/bin/sh -c #(nop) COPY file:<sha> in /out.txt `, `/bin/sh -c #(nop)  ENV A=b`,
//             `|1 X=1 /bin/sh -c echo built`, `/bin/sh -c echo built` (RUN has no keyword).
import { INSTRUCTION_KEYWORDS } from './keywords.ts';
import type { Stage } from '../../../shared/model.ts';

// A history entry never comes from FROM: its layers are the base image's own.
const HISTORY_KEYWORDS = new Set([...INSTRUCTION_KEYWORDS].filter((k) => k !== 'FROM'));

/** The instruction keyword a history entry came from, or null when it says nothing (imported base). */
export function historyKeyword(createdBy: string): string | null {
  const text = createdBy.replace(/\s*# buildkit\s*$/, '').trim();
  if (!text) return null;
  const nop = /#\(nop\)\s*(\S+)/.exec(text);
  if (nop) {
    const word = nop[1].toUpperCase();
    return HISTORY_KEYWORDS.has(word) ? word : null;
  }
  // BuildKit starts every entry with the keyword as written in upper case.
  const first = /^[A-Z]+/.exec(text)?.[0];
  if (first && HISTORY_KEYWORDS.has(first) && (text.length === first.length || /\s/.test(text[first.length]))) return first;
  // Classic RUN: the command itself, maybe behind `|N K=V` build-arg prefix.
  return 'RUN';
}

/**
 * For history entries that belong to `stage` (those after its base image's history), the
 * Dockerfile line of each. Matched in order: each entry takes the next instruction of the
 * stage whose keyword fits; entries that fit none get null.
 */
export function matchHistoryToInstructions(stage: Stage, createdBy: string[]): (number | null)[] {
  const candidates = stage.instructions.filter((i) => i.keyword !== 'FROM');
  let next = 0;
  return createdBy.map((entry) => {
    const keyword = historyKeyword(entry);
    if (!keyword) return null;
    for (let k = next; k < candidates.length; k++) {
      if (candidates[k].keyword === keyword) {
        next = k + 1;
        return candidates[k].line;
      }
    }
    return null;
  });
}
