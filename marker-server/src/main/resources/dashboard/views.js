// Every tab of the dashboard: a function from what is chosen (exam, task) to a DOM node.
// Views whose data changes while markers work are re-read on live events; views holding a
// form the chief examiner may be filling in set keepWhileLive, so a live event never wipes it.
import { criteria } from './views/criteria.js';

export const views = { criteria };
