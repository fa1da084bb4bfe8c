// An outside caller's view of issue 16, through @grpc/grpc-js and the protos alone (no Java, no generated code):
// stage history is append-only across a publish and a rollback, a rejected lead does not requalify on what it did
// before, a read given a reply's position sees that write, a queue shows each lead as GetScore does, an imported
// lead refused part-way stores nothing, and idle streams of one caller do not lock out another. Exits non-zero with
// one line per failed check.
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const target = process.argv[2] ?? 'localhost:9190';
const definition = protoLoader.loadSync(
  ['lead_service.proto', 'score_service.proto', 'model_service.proto'].map(f => `leadscore/v1/${f}`),
  { includeDirs: [path.join(root, 'proto/src/main/proto')], keepCase: true, longs: Number, enums: String,
    defaults: true, oneofs: true });
const v1 = grpc.loadPackageDefinition(definition).leadscore.v1;
const credentials = grpc.credentials.createInsecure();
const leads = new v1.LeadService(target, credentials);
const scores = new v1.ScoreService(target, credentials);
const models = new v1.ModelService(target, credentials);

let failures = 0;
const check = (ok, what) => { console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`); if (!ok) failures++; };
const deadline = (seconds = 20) => ({ deadline: Date.now() + seconds * 1000 });
const call = (client, method, request, seconds) => new Promise((resolve, reject) =>
  client[method](request, deadline(seconds), (error, response) => error ? reject(error) : resolve(response)));
const stream = (client, method, request) => new Promise((resolve, reject) => {
  const messages = [];
  client[method](request, deadline(120)).on('data', m => messages.push(m)).on('end', () => resolve(messages))
    .on('error', reject);
});
const code = async promise => { try { await promise; return 'OK'; } catch (e) { return grpc.status[e.code]; } };
const ts = date => ({ seconds: Math.floor(date.getTime() / 1000), nanos: 0 });
const run = `${process.pid}-${Date.now()}`;
const minutesAgo = m => new Date(Date.now() - m * 60_000);

async function mql(leadId) {
  await call(leads, 'RegisterLead', { lead_id: leadId, email: `${leadId}@example.org`, registered_at: ts(minutesAgo(60)) });
  await call(leads, 'UpdateProfile', { lead_id: leadId, updated_at: ts(minutesAgo(50)),
    profile: { job_title: 'VP Revenue', seniority: 'SENIORITY_VP', company_size: 420 } });
  await call(leads, 'RecordEngagement', { engagement: { lead_id: leadId, event_id: `${leadId}-pricing`, type: 'page_view',
    occurred_at: ts(minutesAgo(40)), attributes: { page_category: 'pricing' } } });
  return (await call(leads, 'RecordEngagement', { engagement: { lead_id: leadId, event_id: `${leadId}-demo`,
    type: 'demo_requested', occurred_at: ts(minutesAgo(30)) } })).score;
}
const history = async leadId => (await call(scores, 'GetStageHistory', { lead_id: leadId })).changes;

// 1. A publish and a rollback leave recorded stages as they were.
const first = `node-${run}-a`;
check((await mql(first)).stage === 'LEAD_STAGE_MQL', 'a VP who saw pricing and asked for a demo is an MQL');
const before = await history(first);
const strict = readFileSync(path.join(root, 'ops/models/default.yaml'), 'utf8')
  .replace(/^id: default$/m, `id: node${process.pid}`)
  .replace('{total_at_least: 60}', '{total_at_least: 900}')
  .replace('      - {fit_grade_at_least: B, engagement_at_least: 40}\n', '');
const created = await call(models, 'CreateModel', { document: strict });
await stream(models, 'PublishModel', { model_id: created.model.model_id, version: created.model.version });
const afterPublish = await history(first);
check(JSON.stringify(afterPublish) === JSON.stringify(before), 'publishing a stricter model rewrites no recorded stage');
check((await call(scores, 'GetScore', { lead_id: first })).score.stage === 'LEAD_STAGE_MQL',
  'under lifecycle on_model_change: keep the MQL stays with sales');
await stream(models, 'RollbackModel', {});
check(JSON.stringify(await history(first)) === JSON.stringify(before), 'rolling back rewrites no recorded stage either');

// 2. A rejected lead does not requalify on engagement it earned before the rejection.
const rejected = `node-${run}-b`;
await mql(rejected);
await call(leads, 'RejectLead', { lead_id: rejected, actor: 'node', reason_code: 'no_budget' });
const late = await call(leads, 'RecordEngagement', { engagement: { lead_id: rejected, event_id: `${rejected}-late`,
  type: 'page_view', occurred_at: ts(minutesAgo(20)), attributes: { page_category: 'pricing' } } });
check(late.score.stage === 'LEAD_STAGE_RECYCLED', 'a page view after a rejection, done before it, does not requalify');

// 3. A queue shows every lead as GetScore does at that moment. Both read the score projection, which follows a
// write within milliseconds: the reply's store position, as min_position, makes a read wait until it has the write.
check(late.position > 0, `a command's reply names the store position of what it stored (${late.position})`);
const seen = await call(scores, 'GetScore', { lead_id: rejected, min_position: late.position });
check(seen.score.version >= late.score.version && seen.position >= late.position,
      'GetScore given that position as min_position sees the write at once');
check(await code(call(scores, 'GetScore', { lead_id: rejected, min_position: late.position + 1e9 }))
      === 'OUT_OF_RANGE', 'a min_position the store never handed out is OUT_OF_RANGE');
const queue = await call(scores, 'ListLeads', { page_size: 50, min_position: late.position });
let same = queue.leads.length > 0;
for (const queued of queue.leads) {
  const now = (await call(scores, 'GetScore', { lead_id: queued.lead_id })).score;
  same &&= Math.abs(now.total_score - queued.total_score) < 1e-6 * Math.max(1, Math.abs(now.total_score))
           && now.matrix === queued.matrix;
}
check(same, `ListLeads shows each of its ${queue.leads.length} leads with GetScore's score and band`);

// 4. An imported lead that the server refuses part-way stores nothing.
const imported = `node-${run}-c`;
const refused = await code(call(leads, 'ImportLead', {
  registration: { lead_id: imported, email: `${imported}@example.org`, registered_at: ts(minutesAgo(90)) },
  engagements: [{ lead_id: imported, event_id: `${imported}-e1`, type: 'webinar_attended', occurred_at: ts(minutesAgo(80)) }],
  outcomes: [{ lead_id: imported, outcome: 'OUTCOME_WON', occurred_at: ts(minutesAgo(10)), amount: 5000,
               currency: 'XYZ', source: 'node' }] }));
check(refused === 'INVALID_ARGUMENT', `an import with currency XYZ is INVALID_ARGUMENT (was ${refused})`);
check(await code(call(scores, 'GetScore', { lead_id: imported })) === 'NOT_FOUND', '... and stores nothing of that lead');

// 5. Streams that never send do not lock out another caller: 1,200 of them, more than the server's in-flight
// bound of 1,024, over two connections (each takes at most 1,000 calls).
const own = { 'grpc.use_local_subchannel_pool': 1 };
const greedy = [new v1.LeadService(target, credentials, own), new v1.LeadService(target, credentials, own)];
const idle = [];
for (let i = 0; i < 1200; i++) {
  idle.push(greedy[i % 2].StreamEngagements(deadline(60), () => {}));
}
await new Promise(resolve => setTimeout(resolve, 1500));
const other = new v1.ScoreService(target, credentials, own);
const served = await code(new Promise((resolve, reject) => other.GetScore({ lead_id: first }, deadline(3),
  (error, response) => error ? reject(error) : resolve(response))));
check(served === 'OK', `with 1,200 idle streams open, another caller is served (was ${served})`);
idle.forEach(s => s.cancel());
greedy.forEach(client => client.close());
other.close();

leads.close(); scores.close(); models.close();
if (failures > 0) {
  console.log(`${failures} check(s) failed`);
  process.exit(1);
}
