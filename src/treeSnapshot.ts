// The Endpoints view's last complete manifests, kept in the extension's storage so that a reopened window
// shows them at once, marked as restored, until the server's own scan replaces them. No vscode import:
// plain Node tests read and write it.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ManifestResult } from '../server/protocol';

const FORMAT = 'route-atlas-tree-snapshot/1';

interface SnapshotFile {
  format: string;
  /** The workspace folders it was taken in, in order: a snapshot of other folders is never shown. */
  folders: string[];
  savedAt: number;
  manifests: ManifestResult['folders'];
}

/** Reads the snapshot for these workspace folders, or undefined when there is none that fits. */
export async function readTreeSnapshot(file: string, folderUris: readonly string[]): Promise<{ manifests: ManifestResult['folders']; savedAt: number } | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const data = JSON.parse(text) as Partial<SnapshotFile>;
    if (data.format !== FORMAT || !Array.isArray(data.manifests) || !Array.isArray(data.folders) || typeof data.savedAt !== 'number') return undefined;
    if (data.folders.length !== folderUris.length || data.folders.some((uri, i) => uri !== folderUris[i])) return undefined;
    if (!data.manifests.every((folder) => folderUris.includes(folder?.uri) && Array.isArray(folder.manifest?.apps))) return undefined;
    return { manifests: data.manifests, savedAt: data.savedAt };
  } catch {
    return undefined;
  }
}

/** Writes the snapshot atomically (write, then rename): a window closed meanwhile leaves the old one whole. */
export async function writeTreeSnapshot(file: string, folderUris: readonly string[], manifests: ManifestResult['folders']): Promise<void> {
  const data: SnapshotFile = { format: FORMAT, folders: [...folderUris], savedAt: Date.now(), manifests };
  await fs.mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temporary, JSON.stringify(data));
  await fs.rename(temporary, file);
}
