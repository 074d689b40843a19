// WordPress as its users drive it over HTTP, whatever the path to it (a pod IP, the ingress):
// the install finished with the installer's form, a post written over XML-RPC, read back by REST.
import assert from "node:assert/strict";

export interface Answer {
  status: number;
  body: string;
}
/** Sends one request to the blog (a GET, or a POST with `body`). */
export type Send = (path: string, body?: { type: string; data: string }) => Promise<Answer>;

/** Finishes the install with a fresh admin and publishes a post titled `title`; its id. */
export async function installAndPost(send: Send, title: string, content = ""): Promise<string> {
  const admin = { user: "editor", password: `pw-${Date.now()}-${Math.random().toString(36).slice(2)}` };
  const form = new URLSearchParams({
    weblog_title: "Shipshape",
    user_name: admin.user,
    admin_password: admin.password,
    admin_password2: admin.password,
    pw_weak: "1",
    admin_email: "editor@example.com",
    blog_public: "0",
  });
  const install = await send("/wp-admin/install.php?step=2", {
    type: "application/x-www-form-urlencoded",
    data: form.toString(),
  });
  assert.equal(install.status, 200, install.body.slice(0, 500));
  assert.match(install.body, /Success!/);
  const xml = `<?xml version="1.0"?><methodCall><methodName>wp.newPost</methodName><params>
    <param><value><int>1</int></value></param>
    <param><value><string>${admin.user}</string></value></param>
    <param><value><string>${admin.password}</string></value></param>
    <param><value><struct>
      <member><name>post_title</name><value><string>${title}</string></value></member>
      <member><name>post_content</name><value><string>${content}</string></value></member>
      <member><name>post_status</name><value><string>publish</string></value></member>
    </struct></value></param></params></methodCall>`;
  const created = await send("/xmlrpc.php", { type: "text/xml", data: xml });
  const id = /<string>(\d+)<\/string>/.exec(created.body)?.[1];
  assert.ok(id, created.body.slice(0, 500));
  return id;
}

/** The post's title as the REST API renders it, or undefined when it does not answer 200. */
export async function postTitle(send: Send, id: string): Promise<string | undefined> {
  const { status, body } = await send(`/?rest_route=/wp/v2/posts/${id}`);
  return status === 200 ? (JSON.parse(body) as { title: { rendered: string } }).title.rendered : undefined;
}
