import fs from 'node:fs';
import { printSchemaFile, SCHEMA_FILE } from './print.js';

fs.writeFileSync(SCHEMA_FILE, printSchemaFile());
console.log(`wrote ${SCHEMA_FILE}`);
