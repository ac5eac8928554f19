// End-to-end: the release build in dist/, served from 127.0.0.1, in headless Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, openPage, screenshot } from './harness.mjs';

const BROKEN = `[root@k8s-master ~]# kubectl get svc web -o yaml
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: default
spec:
  clusterIP: 10.104.0.64
  ports:
  - port: 80
    protocol: TCP
    targetPort: 80
  selector:
    app: web
  type: ClusterIP
[root@k8s-master ~]# kubectl get deployment web -o yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
spec:
  replicas: 3
  selector:
    matchLabels:
      app: Web
  template:
    metadata:
      labels:
        app: Web
    spec:
      containers:
      - image: nginx
        name: nginx
`;

let server;
let browser;

before(async () => {
  server = await serve();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('the preloaded tutorial example shows no root cause', async () => {
  const { page, context, errors } = await openPage(browser, server.url);
  await page.locator('#verdict[data-verdict="healthy"]').waitFor();
  assert.equal(await page.locator('#root-cause').count(), 0);
  assert.match(await page.locator('#paste-input').inputValue(), /kubectl get pods,svc/);
  await screenshot(page, 'tutorial-healthy.png');
  assert.deepEqual(errors, []);
  await context.close();
});

test('pasting a broken Service and Deployment shows the EP301 card', async () => {
  const { page, context, errors } = await openPage(browser, server.url);
  await page.locator('#verdict').waitFor();
  await page.locator('#paste-input').fill(BROKEN);
  const card = page.locator('#root-cause[data-code="EP301"]');
  await card.waitFor();
  const text = await card.innerText();
  assert.match(text, /selector app=web matches no pod; pods of deployment web are labelled app=Web/);
  assert.match(text, /lines 13–14/);
  assert.match(text, /kubectl patch service web -n default/);
  assert.equal(await page.locator('#verdict').getAttribute('data-verdict'), 'root-cause');
  await screenshot(page, 'ep301.png');
  assert.deepEqual(errors, []);
  await context.close();
});
