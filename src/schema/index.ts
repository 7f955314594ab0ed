import './scalars.js';
import './campaign.js';
import './kpis.js';
import './trend.js';
import './distributions.js';
import './heatmap.js';
import './funnel.js';
import './comparison.js';
import './exports.js';
import './live.js';
import { builder } from './builder.js';

export const schema = builder.toSchema({ sortSchema: false });
