// Renderer entry: connect to the engine (Electron preload or the browser host's WebSocket),
// then mount the app. A failed connection is shown as text: there is no app without it.
import { mount } from 'svelte';
import App from './App.svelte';
import { connectBridge } from './bridge/index.ts';
import { describeError } from '../../shared/errors.ts';

const target = document.getElementById('app')!;

connectBridge().then(
  (api) => mount(App, { target, props: { api } }),
  (err: unknown) => {
    const p = document.createElement('p');
    p.setAttribute('role', 'alert');
    p.textContent = `StageScope cannot reach its host. ${describeError(err)}`;
    target.replaceChildren(p);
  },
);
