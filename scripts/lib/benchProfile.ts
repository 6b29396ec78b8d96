import fs from 'node:fs/promises';
import { PROJECT_ROOT } from '../../src/config/config.ts';

/** Summary of a V8 .cpuprofile (written by `node --cpu-prof`): where the time went, by function and by file. */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  /** Time spent in the function itself. */
  selfByFunction: Array<[string, number]>;
  /** Time spent in the function and everything it called (each function counted once per sample). */
  inclusiveByFunction: Array<[string, number]>;
  selfByFile: Array<[string, number]>;
}

function shortUrl(url: string): string {
  return url
    .replace(/^file:\/\//, '')
    .replace(/^.*node_modules\//, '')
    .replace(`${PROJECT_ROOT}/`, '');
}

export async function summarizeProfile(file: string, top = 20): Promise<ProfileSummary> {
  const profile = JSON.parse(await fs.readFile(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const name = (node: ProfileNode) => {
    const { functionName, url, lineNumber } = node.callFrame;
    return url ? `${functionName || '(anonymous)'} ${shortUrl(url)}:${lineNumber + 1}` : functionName;
  };

  const perNode = new Map<number, number>();
  profile.samples.forEach((id, i) => perNode.set(id, (perNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const files = new Map<string, number>();
  for (const [id, micros] of perNode) {
    const node = byId.get(id)!;
    const key = name(node);
    self.set(key, (self.get(key) ?? 0) + micros);
    const fileKey = node.callFrame.url ? shortUrl(node.callFrame.url) : node.callFrame.functionName;
    files.set(fileKey, (files.get(fileKey) ?? 0) + micros);
    const seen = new Set<string>();
    for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
      const k = name(byId.get(current)!);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + micros);
    }
  }
  const sorted = (m: Map<string, number>, n: number): Array<[string, number]> =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, micros]) => [k, Math.round(micros / 1000)]);
  return {
    totalMs: Math.round((profile.endTime - profile.startTime) / 1000),
    selfByFunction: sorted(self, top),
    inclusiveByFunction: sorted(inclusive, top + 10),
    selfByFile: sorted(files, top),
  };
}

export function formatProfile(title: string, summary: ProfileSummary): string {
  const lines = [`CPU profile of ${title} (${summary.totalMs.toLocaleString('en-US')} ms sampled)`];
  const section = (heading: string, rows: Array<[string, number]>) => {
    lines.push(`  ${heading}`);
    for (const [key, ms] of rows) lines.push(`    ${String(ms).padStart(8)} ms ${((100 * ms) / Math.max(1, summary.totalMs)).toFixed(1).padStart(5)}%  ${key}`);
  };
  section('self time by file', summary.selfByFile);
  section('self time by function', summary.selfByFunction);
  section('inclusive time by function', summary.inclusiveByFunction);
  return lines.join('\n');
}
