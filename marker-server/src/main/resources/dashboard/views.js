// Every tab of the dashboard: a function from what is chosen (exam, task) to a DOM node.
// Views whose data changes while markers work are re-read on live events; views holding a
// form the chief examiner may be filling in set keepWhileLive, so a live event never wipes it.
import { agreement } from './views/agreement.js';
import { build } from './views/build.js';
import { calibration } from './views/calibration.js';
import { criteria } from './views/criteria.js';
import { markers } from './views/markers.js';
import { presence } from './views/presence.js';
import { progress } from './views/progress.js';
import { adjudication, escalations } from './views/queues.js';
import { seeds } from './views/seeds.js';

export const views = { progress, markers, calibration, seeds, agreement, presence, escalations, adjudication, build, criteria };
