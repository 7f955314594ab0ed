import { demoRecords } from './generator.js';

// Writes the demo data set as NDJSON to standard output: npm run demo > demo.ndjson
const leadsPerCampaign = Number(process.argv[2] ?? 4000);
for (const record of demoRecords({ leadsPerCampaign })) process.stdout.write(`${JSON.stringify(record)}\n`);
