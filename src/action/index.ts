/** The Action bundle's entry: runs the Action once. */
import { run, runFailed } from './main.js';

run().catch(runFailed);
