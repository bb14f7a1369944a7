import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

// Started by the extension over IPC (or stdio with --stdio); never writes to stdout itself.
startServer(createConnection(ProposedFeatures.all));
