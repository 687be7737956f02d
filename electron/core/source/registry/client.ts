// A minimal OCI distribution API client: GET /v2/<repo>/manifests/<ref> and /blobs/<digest>,
// with the auth handshake done once per client and the scheme (https, or http on loopback /
// --insecure) chosen on the first request.
import { request, type Dispatcher } from 'undici';
import { StageScopeError } from '../../../../shared/errors.ts';
import { answerChallenge, loginNeeded, parseChallenge, wrongCredentials } from './auth.ts';
import { findCredentials, type CredentialEnv, type Credentials } from './credentials.ts';
import { describeNetworkError, isCertificateError, isLoopbackHost, isNotTls, makeDispatcher, type TransportOptions } from './transport.ts';

export interface ClientOptions extends TransportOptions, CredentialEnv {
  signal?: AbortSignal;
}

export class RegistryClient {
  private readonly dispatcher: Dispatcher;
  private base: string | null = null;
  private authorization: string | null = null;
  private creds: Credentials | null | undefined = undefined;

  constructor(
    readonly host: string,
    readonly repository: string,
    private readonly opts: ClientOptions,
  ) {
    this.dispatcher = makeDispatcher(opts);
  }

  private async credentials(): Promise<Credentials | null> {
    if (this.creds === undefined) this.creds = await findCredentials(this.host, this.opts);
    return this.creds;
  }

  private async send(url: string, headers: Record<string, string>): Promise<Dispatcher.ResponseData> {
    const all = this.authorization ? { ...headers, authorization: this.authorization } : headers;
    return request(url, { dispatcher: this.dispatcher, headers: all, signal: this.opts.signal });
  }

  /** The first request decides https or http (http only where allowed). */
  private async sendChoosingScheme(path: string, headers: Record<string, string>): Promise<Dispatcher.ResponseData> {
    if (this.base) return this.send(this.base + path, headers);
    const https = `https://${this.host}`;
    try {
      const res = await this.send(https + path, headers);
      this.base = https;
      return res;
    } catch (err) {
      const plainAllowed = isLoopbackHost(this.host) || this.opts.insecure;
      if (isCertificateError(err) || !isNotTls(err)) throw describeNetworkError(err, this.host);
      if (!plainAllowed) {
        throw new StageScopeError(
          'engine',
          `The registry ${this.host} does not speak HTTPS, and StageScope uses plain HTTP only for loopback registries or with --insecure.`,
          'Pass --insecure if you trust the network to this registry.',
        );
      }
      const http = `http://${this.host}`;
      const res = await this.send(http + path, headers).catch((e: unknown) => {
        throw describeNetworkError(e, this.host);
      });
      this.base = http;
      return res;
    }
  }

  /** GET with auth; the caller handles every status but 401. */
  async get(path: string, headers: Record<string, string> = {}): Promise<Dispatcher.ResponseData> {
    let res: Dispatcher.ResponseData;
    try {
      res = await this.sendChoosingScheme(path, headers);
    } catch (err) {
      throw describeNetworkError(err, this.host);
    }
    if (res.statusCode !== 401) return res;
    const challenge = parseChallenge(res.headers['www-authenticate']);
    await res.body.dump();
    const creds = await this.credentials();
    if (!challenge) throw creds ? wrongCredentials(this.host, creds) : loginNeeded(this.host, this.repository);
    const hadAuth = this.authorization !== null;
    this.authorization = await answerChallenge(challenge, creds, {
      host: this.host,
      repository: this.repository,
      dispatcher: this.dispatcher,
    });
    if (hadAuth && challenge.scheme === 'basic') throw creds ? wrongCredentials(this.host, creds) : loginNeeded(this.host, this.repository);
    try {
      res = await this.send(this.base! + path, headers);
    } catch (err) {
      throw describeNetworkError(err, this.host);
    }
    if (res.statusCode === 401) {
      await res.body.dump();
      throw creds ? wrongCredentials(this.host, creds) : loginNeeded(this.host, this.repository);
    }
    return res;
  }

  async close(): Promise<void> {
    await this.dispatcher.close().catch(() => undefined);
  }
}
