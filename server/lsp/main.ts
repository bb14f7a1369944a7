import {
  createConnection,
  IPCMessageReader,
  IPCMessageWriter,
  type MessageReader,
  type MessageWriter,
  ProposedFeatures,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver/node';
import { startServer } from './server';

// Started by the extension over IPC (or with --stdio). This thread only talks to the client; the analysis
// runs on its own thread (dist/engine.js), started at once so that it loads while the client initializes.
// Nothing here writes to stdout itself.

function transport(): [MessageReader, MessageWriter, NodeJS.ReadableStream | undefined] {
  if (process.argv.includes('--stdio')) return [new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout), process.stdin];
  return [new IPCMessageReader(process), new IPCMessageWriter(process), undefined];
}

const [reader, writer, input] = transport();
// A message the reader cannot frame leaves the stream out of step for good: a server that stays up then
// hears nothing. Exiting lets the client see it and start a fresh one.
reader.onError((error) => {
  process.stderr.write(`Route Atlas server: unreadable message from the client (${error.message}); exiting.\n`);
  process.exit(1);
});
input?.on('end', () => process.exit(0));
input?.on('close', () => process.exit(0));
process.on('disconnect', () => process.exit(0));
startServer(createConnection(ProposedFeatures.all, reader, writer));
