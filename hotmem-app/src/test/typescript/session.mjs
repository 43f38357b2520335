// A scripted MCP session with the official TypeScript SDK, for McpTypeScriptIT.
//   node session.mjs PLAN.json stdio COMMAND ARG...   (starts the server as a child)
//   node session.mjs PLAN.json http URL [TOKEN]       (Streamable HTTP)
// PLAN.json: [{"tool": name, "args": {...}}, ...]; the string "${id}" in an argument is replaced by
// the "id" of the latest answer that had one. Prints one JSON object on stdout:
// {"server", "tools": [...], "prompts": [...], "calls": [{"tool", "isError", "text"}]}.
import { readFileSync } from "node:fs";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const [planFile, mode, ...rest] = process.argv.slice(2);
const plan = JSON.parse(readFileSync(planFile, "utf8"));

let transport;
if (mode === "stdio") {
  transport = new StdioClientTransport({ command: rest[0], args: rest.slice(1), stderr: "inherit" });
} else if (mode === "http") {
  const headers = rest[1] ? { Authorization: `Bearer ${rest[1]}` } : {};
  transport = new StreamableHTTPClientTransport(new URL(rest[0]), { requestInit: { headers } });
} else {
  throw new Error(`mode must be stdio or http; found ${mode}`);
}

const client = new Client({ name: "hotmem-ts-test", version: "1.0.0" });
await client.connect(transport);
const tools = (await client.listTools()).tools;
const caps = client.getServerCapabilities() ?? {};
const prompts = caps.prompts ? (await client.listPrompts()).prompts : [];
const promptTexts = [];
for (const p of prompts) {
  const got = await client.getPrompt({ name: p.name, arguments: {} });
  promptTexts.push({ name: p.name, text: got.messages.map((m) => m.content.text).join("\n") });
}

let lastId = null;
const substitute = (v) =>
  typeof v === "string" && v.includes("${id}") ? v.replaceAll("${id}", lastId) : v;
const calls = [];
for (const step of plan) {
  const args = Object.fromEntries(Object.entries(step.args ?? {}).map(([k, v]) => [k, substitute(v)]));
  const r = await client.callTool({ name: step.tool, arguments: args });
  const text = r.content?.[0]?.text ?? "";
  if (!r.isError) {
    try {
      const parsed = JSON.parse(text);
      if (parsed && typeof parsed.id === "string") lastId = parsed.id;
    } catch {
      // Not JSON: nothing to remember from it.
    }
  }
  calls.push({ tool: step.tool, isError: r.isError === true, text });
}

process.stdout.write(
  JSON.stringify({ server: client.getServerVersion(), tools, prompts: promptTexts, calls }) + "\n",
);
await client.close();
