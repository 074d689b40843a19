// WordPress as its users reach it over HTTP: the installer, a post written through XML-RPC and read back
// through the REST API, each request sent with the blog's host name (WordPress keeps the host it was
// installed under), to a pod IP or a node's NodePort.
import assert from "node:assert/strict";
import { request } from "node:http";

/** Where the blog answers, and the host name its requests carry. */
export interface Site {
  host: string;
  port: number;
  domain: string;
}

export interface Admin {
  user: string;
  password: string;
}

/** One HTTP request to the site; a body makes it a POST. */
export function siteRequest(
  site: Site,
  path: string,
  body?: { type: string; data: string },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host: site.domain };
    if (body)
      Object.assign(headers, { "content-type": body.type, "content-length": Buffer.byteLength(body.data) });
    const req = request(
      { host: site.host, port: site.port, path, method: body ? "POST" : "GET", headers, timeout: 30_000 },
      (res) => {
        let text = "";
        res.on("data", (chunk) => {
          text += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on("timeout", () => req.destroy(new Error(`${path}: no answer in 30 s`)));
    req.on("error", reject);
    req.end(body?.data);
  });
}

/** A fresh administrator, with a password no earlier run used. */
export function freshAdmin(): Admin {
  return { user: "editor", password: `pw-${Date.now()}-${Math.random().toString(36).slice(2)}` };
}

/** Runs the installer's second step (the form a first visitor submits) and asserts it succeeded. */
export async function installWordPress(site: Site, admin: Admin): Promise<void> {
  const form = new URLSearchParams({
    weblog_title: "Shipshape",
    user_name: admin.user,
    admin_password: admin.password,
    admin_password2: admin.password,
    pw_weak: "1",
    admin_email: "editor@example.com",
    blog_public: "0",
  });
  const install = await siteRequest(site, "/wp-admin/install.php?step=2", {
    type: "application/x-www-form-urlencoded",
    data: form.toString(),
  });
  assert.equal(install.status, 200, install.body.slice(0, 500));
  assert.match(install.body, /Success!/);
}

/** Publishes a post through XML-RPC (wp.newPost) and returns its id. */
export async function publishPost(site: Site, admin: Admin, title: string): Promise<string> {
  const xml = `<?xml version="1.0"?><methodCall><methodName>wp.newPost</methodName><params>
    <param><value><int>1</int></value></param>
    <param><value><string>${admin.user}</string></value></param>
    <param><value><string>${admin.password}</string></value></param>
    <param><value><struct>
      <member><name>post_title</name><value><string>${title}</string></value></member>
      <member><name>post_content</name><value><string>It should outlive its pods.</string></value></member>
      <member><name>post_status</name><value><string>publish</string></value></member>
    </struct></value></param></params></methodCall>`;
  const created = await siteRequest(site, "/xmlrpc.php", { type: "text/xml", data: xml });
  const id = /<string>(\d+)<\/string>/.exec(created.body)?.[1];
  assert.ok(id, created.body.slice(0, 500));
  return id;
}

/** The post's title as the REST API serves it, or undefined when it does not answer 200. */
export async function postTitle(site: Site, id: string): Promise<string | undefined> {
  const { status, body } = await siteRequest(site, `/?rest_route=/wp/v2/posts/${id}`);
  return status === 200 ? (JSON.parse(body) as { title: { rendered: string } }).title.rendered : undefined;
}
