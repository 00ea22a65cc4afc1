// @kubernetes/client-node 2.x against the platform's API server: CRUD with a 409 on a stale
// resourceVersion, merge/strategic patch, watch, informer across server-ended watches, server-side
// apply with a conflict and force, pagination. Usage: node client-node-suite.mjs KUBECONFIG
// Prints "PASS <check>" per check; exits non-zero with the failing check and its cause.
import * as k8s from '@kubernetes/client-node';
import assert from 'node:assert/strict';

const kc = new k8s.KubeConfig();
kc.loadFromFile(process.argv[2]);
const core = kc.makeApiClient(k8s.CoreV1Api);
const apps = kc.makeApiClient(k8s.AppsV1Api);
const patchAs = (type) => k8s.setHeaderOptions('Content-Type', type);

async function waitFor(what, condition, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function expectStatus(code, call) {
  try {
    await call();
  } catch (e) {
    assert.equal(e.code, code, `expected HTTP ${code}, got ${e.code}: ${e.body ?? e.message}`);
    return e;
  }
  assert.fail(`expected HTTP ${code}, but the call succeeded`);
}

async function createNamespace(name) {
  await core.createNamespace({ body: { metadata: { name } } });
  return name;
}

const configMap = (name, data) => ({ metadata: { name, labels: { suite: 'client-node' } }, data });

const checks = {
  async configMapCrud() {
    const namespace = await createNamespace('cn-crud');
    const created = await core.createNamespacedConfigMap({ namespace, body: configMap('settings', { a: '1' }) });
    assert.ok(created.metadata.uid);
    assert.deepEqual((await core.readNamespacedConfigMap({ name: 'settings', namespace })).data, { a: '1' });
    const list = await core.listNamespacedConfigMap({ namespace });
    assert.deepEqual(list.items.map((c) => c.metadata.name), ['settings']);

    const stale = await core.readNamespacedConfigMap({ name: 'settings', namespace });
    const fresh = await core.readNamespacedConfigMap({ name: 'settings', namespace });
    fresh.data = { a: '2' };
    const updated = await core.replaceNamespacedConfigMap({ name: 'settings', namespace, body: fresh });
    assert.deepEqual(updated.data, { a: '2' });
    stale.data = { a: 'lost' };
    await expectStatus(409, () => core.replaceNamespacedConfigMap({ name: 'settings', namespace, body: stale }));

    const merged = await core.patchNamespacedConfigMap(
      { name: 'settings', namespace, body: { data: { b: '3', a: null } } }, patchAs(k8s.PatchStrategy.MergePatch));
    assert.deepEqual(merged.data, { b: '3' });

    await core.deleteNamespacedConfigMap({ name: 'settings', namespace });
    await expectStatus(404, () => core.readNamespacedConfigMap({ name: 'settings', namespace }));
  },

  async deploymentCrud() {
    const namespace = await createNamespace('cn-deploy');
    const body = {
      metadata: { name: 'web' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'web', image: 'busybox:1.35', command: ['sleep', '3600'] }] },
        },
      },
    };
    const created = await apps.createNamespacedDeployment({ namespace, body });
    assert.equal(created.metadata.generation, 1);

    const stale = await apps.readNamespacedDeployment({ name: 'web', namespace });
    const current = await apps.readNamespacedDeployment({ name: 'web', namespace });
    current.spec.replicas = 2;
    const scaled = await apps.replaceNamespacedDeployment({ name: 'web', namespace, body: current });
    assert.equal(scaled.spec.replicas, 2);
    assert.equal(scaled.metadata.generation, 2);
    stale.spec.replicas = 5;
    await expectStatus(409, () => apps.replaceNamespacedDeployment({ name: 'web', namespace, body: stale }));

    // strategic merge: containers merge by name, so the command survives an image change
    const strategic = await apps.patchNamespacedDeployment({
      name: 'web', namespace,
      body: { spec: { template: { spec: { containers: [{ name: 'web', image: 'busybox:1.36' }] } } } },
    }, patchAs(k8s.PatchStrategy.StrategicMergePatch));
    const containers = strategic.spec.template.spec.containers;
    assert.equal(containers.length, 1);
    assert.equal(containers[0].image, 'busybox:1.36');
    assert.deepEqual(containers[0].command, ['sleep', '3600']);

    const merged = await apps.patchNamespacedDeployment({
      name: 'web', namespace, body: { metadata: { labels: { tier: 'front' } }, spec: { replicas: 3 } },
    }, patchAs(k8s.PatchStrategy.MergePatch));
    assert.equal(merged.metadata.labels.tier, 'front');
    assert.equal(merged.spec.replicas, 3);

    await apps.deleteNamespacedDeployment({ name: 'web', namespace });
    await expectStatus(404, () => apps.readNamespacedDeployment({ name: 'web', namespace }));
  },

  async watchInOrder() {
    const namespace = await createNamespace('cn-watch');
    const from = (await core.listNamespacedConfigMap({ namespace })).metadata.resourceVersion;
    const events = [];
    const watch = new k8s.Watch(kc);
    const request = await watch.watch(`/api/v1/namespaces/${namespace}/configmaps`, { resourceVersion: from },
      (type, obj) => events.push(`${type} ${obj.metadata.name} ${JSON.stringify(obj.data)}`), () => {});
    try {
      await core.createNamespacedConfigMap({ namespace, body: configMap('watched', { v: '1' }) });
      const current = await core.readNamespacedConfigMap({ name: 'watched', namespace });
      current.data = { v: '2' };
      await core.replaceNamespacedConfigMap({ name: 'watched', namespace, body: current });
      await core.deleteNamespacedConfigMap({ name: 'watched', namespace });
      await waitFor('three watch events', () => events.length >= 3);
    } finally {
      request.abort();
    }
    assert.deepEqual(events,
      ['ADDED watched {"v":"1"}', 'MODIFIED watched {"v":"2"}', 'DELETED watched {"v":"2"}']);
  },

  async informerAcrossServerEndedWatches() {
    const namespace = await createNamespace('cn-informer');
    await core.createNamespacedConfigMap({ namespace, body: configMap('before', { v: '1' }) });
    // client-node sends no timeoutSeconds; a short one in the path makes the server end each watch after 2 s
    const informer = k8s.makeInformer(kc, `/api/v1/namespaces/${namespace}/configmaps?timeoutSeconds=2`,
      () => core.listNamespacedConfigMap({ namespace }));
    const seen = [];
    let connects = 0;
    let failure;
    informer.on('add', (obj) => seen.push(`add ${obj.metadata.name} ${JSON.stringify(obj.data)}`));
    informer.on('update', (obj) => seen.push(`update ${obj.metadata.name} ${JSON.stringify(obj.data)}`));
    informer.on('delete', (obj) => seen.push(`delete ${obj.metadata.name}`));
    informer.on('connect', () => connects++);
    informer.on('error', (err) => { failure = err; });
    await informer.start();
    try {
      await waitFor('the initial list', () => seen.includes('add before {"v":"1"}'));
      await core.createNamespacedConfigMap({ namespace, body: configMap('after', { v: '1' }) });
      await waitFor('the informer to see "after"', () => seen.includes('add after {"v":"1"}'));

      const connectsSoFar = connects;
      await waitFor('two server-ended watches', () => connects >= connectsSoFar + 2);
      const after = await core.readNamespacedConfigMap({ name: 'after', namespace });
      after.data = { v: '2' };
      await core.replaceNamespacedConfigMap({ name: 'after', namespace, body: after });
      await core.deleteNamespacedConfigMap({ name: 'before', namespace });
      await waitFor('the informer to see the delete', () => seen.includes('delete before'));
      assert.equal(failure, undefined, `informer error: ${failure}`);
      assert.deepEqual(seen,
        ['add before {"v":"1"}', 'add after {"v":"1"}', 'update after {"v":"2"}', 'delete before']);
      assert.deepEqual(informer.list().map((c) => c.metadata.name), ['after']);
    } finally {
      await informer.stop();
    }
  },

  async serverSideApply() {
    const namespace = await createNamespace('cn-apply');
    const apply = (fieldManager, force, data) => core.patchNamespacedConfigMap({
      name: 'applied', namespace, fieldManager, force,
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'applied' }, data },
    }, patchAs(k8s.PatchStrategy.ServerSideApply));

    const applied = await apply('manager-a', false, { 'owned-by-a': '1', shared: 'a' });
    assert.deepEqual(applied.data, { 'owned-by-a': '1', shared: 'a' });
    assert.ok(applied.metadata.managedFields.some((f) => f.manager === 'manager-a' && f.operation === 'Apply'));

    const conflict = await expectStatus(409, () => apply('manager-b', false, { shared: 'b' }));
    assert.match(String(conflict.body), /manager-a/);
    assert.match(String(conflict.body), /data\.shared/);

    const forced = await apply('manager-b', true, { shared: 'b' });
    assert.deepEqual(forced.data, { 'owned-by-a': '1', shared: 'b' });
    const reapplied = await apply('manager-a', false, { other: 'x' });
    assert.deepEqual(reapplied.data, { other: 'x', shared: 'b' });
  },

  async pagination() {
    const namespace = await createNamespace('cn-pages');
    for (let i = 0; i < 10; i++) {
      await core.createNamespacedConfigMap({ namespace, body: configMap(`cm-${i}`, { i: `${i}` }) });
    }
    const names = [];
    let token;
    let pages = 0;
    do {
      const page = await core.listNamespacedConfigMap(
        { namespace, labelSelector: 'suite=client-node', limit: 2, _continue: token });
      assert.ok(page.items.length <= 2);
      names.push(...page.items.map((c) => c.metadata.name));
      token = page.metadata._continue;
      pages++;
      assert.ok(pages <= 6, 'too many pages');
    } while (token);
    assert.equal(pages, 5);
    assert.deepEqual([...names].sort(), Array.from({ length: 10 }, (_, i) => `cm-${i}`).sort());
  },
};

let failed = false;
for (const [name, check] of Object.entries(checks)) {
  try {
    await check();
    console.log(`PASS ${name}`);
  } catch (e) {
    failed = true;
    console.log(`FAIL ${name}: ${e.stack ?? e}${e.body ? `\n  response: ${e.body}` : ''}`);
  }
}
process.exit(failed ? 1 : 0);
