import './scalars.js';
import './campaign.js';
import { builder } from './builder.js';

export const schema = builder.toSchema({ sortSchema: false });
