// The example repository's entry point: `npx cdk8s synth` runs this and writes everything to dist/.
import { CommittedFiles, PipelineApp } from './lib';
import { addApps } from './apps';
import { addPipelines } from './pipelines';

const mode = process.env.SLIPWAY_COMMITTED;
const app = new PipelineApp({
  committedFiles: mode === 'update' ? CommittedFiles.UPDATE : mode === 'verify' ? CommittedFiles.VERIFY : CommittedFiles.IGNORE,
});
addApps(app);
addPipelines(app);
app.synth();
