// Packs a built dist/ for the people who host svcdoctor: every file with
// precompressed .br and .gz siblings (for nginx brotli_static/gzip_static,
// Apache MultiViews or type maps, S3 with Content-Encoding), HOSTING.md, and
// the same tree as .tar.gz and .zip, with a SHA256SUMS beside them.
//
//   node scripts/package.mjs DIST OUT_DIR
//
// scripts/package.sh builds dist/ first and calls this. The archives hold one
// folder, svcdoctor-web-VERSION/, and are reproducible: entries in name
// order, owner 0, and every time stamp set to SOURCE_DATE_EPOCH (the last
// commit's time when the script runs it).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, crc32, deflateRawSync, gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function fail(message) {
  console.error(`package: ${message}`);
  process.exit(1);
}

/** The version every crate shares: `[workspace.package] version` of Cargo.toml. */
export function workspaceVersion(cargoToml = readFileSync(join(root, 'Cargo.toml'), 'utf8')) {
  const section = cargoToml.split(/^\[/m).find((s) => s.startsWith('workspace.package]'));
  const version = section?.match(/^version\s*=\s*"([^"]+)"/m)?.[1];
  if (!version) fail('Cargo.toml has no [workspace.package] version');
  return version;
}

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...walk(path));
    else out.push(path);
  }
  return out;
}

/** Writes FILE.br and FILE.gz beside each file of `dir`. */
function precompress(dir) {
  for (const file of walk(dir)) {
    const raw = readFileSync(file);
    const br = brotliCompressSync(raw, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
      },
    });
    writeFileSync(`${file}.br`, br);
    // No name or time in the gzip header (like gzip -n), so builds repeat.
    writeFileSync(`${file}.gz`, gzipSync(raw, { level: 9 }));
  }
}

/** DOS date and time of a Unix time, as zip stores them (local = UTC here). */
function dosTime(seconds) {
  const d = new Date(seconds * 1000);
  const year = Math.max(d.getUTCFullYear(), 1980);
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1),
    date: ((year - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}

/**
 * A zip archive of `entries` ({ name, data } for files, { name } ending in
 * "/" for folders): deflated where that is smaller, UTF-8 names, Unix modes.
 * Sizes stay far below zip64's 4 GB.
 */
export function zip(entries, epoch) {
  const { time, date } = dosTime(epoch);
  const locals = [];
  const central = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const isDir = entry.name.endsWith('/');
    const data = isDir ? Buffer.alloc(0) : entry.data;
    const deflated = isDir ? data : deflateRawSync(data, { level: 9 });
    const method = !isDir && deflated.length < data.length ? 8 : 0;
    const body = method === 8 ? deflated : data;
    const crc = crc32(data) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate, folders)
    local.writeUInt16LE(0x0800, 6); // names are UTF-8
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, body);

    const head = Buffer.alloc(46);
    head.writeUInt32LE(0x02014b50, 0);
    head.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, zip 2.0
    head.writeUInt16LE(20, 6);
    head.writeUInt16LE(0x0800, 8);
    head.writeUInt16LE(method, 10);
    head.writeUInt16LE(time, 12);
    head.writeUInt16LE(date, 14);
    head.writeUInt32LE(crc, 16);
    head.writeUInt32LE(body.length, 20);
    head.writeUInt32LE(data.length, 24);
    head.writeUInt16LE(name.length, 28);
    head.writeUInt16LE(0, 30); // extra
    head.writeUInt16LE(0, 32); // comment
    head.writeUInt16LE(0, 34); // disk
    head.writeUInt16LE(0, 36); // internal attributes
    const mode = isDir ? 0o40755 : 0o100644;
    head.writeUInt32LE(((mode << 16) | (isDir ? 0x10 : 0)) >>> 0, 38);
    head.writeUInt32LE(offset, 42);
    central.push(head, name);
    offset += local.length + name.length + body.length;
  }
  const centralSize = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...central, end]);
}

function sha256(path) {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function main() {
  const [dist, out] = process.argv.slice(2);
  if (!dist || !out) fail('usage: node scripts/package.mjs DIST OUT_DIR');
  let distFiles;
  try {
    distFiles = walk(dist);
  } catch (err) {
    fail(`cannot read ${dist}/ (${err.code}); build it first (scripts/package.sh does)`);
  }
  if (!existsSync(join(dist, 'index.html'))) {
    fail(`${dist}/ has no index.html; build it first (scripts/package.sh does)`);
  }
  const version = workspaceVersion();
  const epoch = Number(process.env.SOURCE_DATE_EPOCH ?? Math.floor(Date.now() / 1000));
  const base = `svcdoctor-web-${version}`;
  const staging = join(out, 'staging');
  const tree = join(staging, base);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(tree, { recursive: true });

  for (const file of distFiles) {
    const target = join(tree, relative(dist, file));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, readFileSync(file));
  }
  precompress(tree);
  const hosting = readFileSync(join(root, 'docs', 'hosting.md'), 'utf8').replaceAll('VERSION', version);
  writeFileSync(join(tree, 'HOSTING.md'), hosting);

  const paths = walk(tree);
  for (const p of [...paths, tree]) utimesSync(p, epoch, epoch);
  const tarball = join(out, `${base}.tar.gz`);
  // GNU tar for name order and fixed owners; gzip -n keeps no name or time.
  const tar = execFileSync(
    'tar',
    [
      '--sort=name',
      `--mtime=@${epoch}`,
      '--owner=0',
      '--group=0',
      '--numeric-owner',
      '--mode=u+rwX,go+rX,go-w',
      '-cf',
      '-',
      '-C',
      staging,
      base,
    ],
    { maxBuffer: 1 << 30 },
  );
  writeFileSync(tarball, gzipSync(tar, { level: 9 }));

  const entries = [{ name: `${base}/` }];
  const dirs = new Set();
  for (const p of paths) {
    const rel = relative(staging, p).split(sep).join('/');
    const parts = rel.split('/');
    for (let i = 2; i < parts.length; i++) {
      const d = `${parts.slice(0, i).join('/')}/`;
      if (!dirs.has(d)) {
        dirs.add(d);
        entries.push({ name: d });
      }
    }
    entries.push({ name: rel, data: readFileSync(p) });
  }
  const zipPath = join(out, `${base}.zip`);
  writeFileSync(zipPath, zip(entries, epoch));

  const sums = [tarball, zipPath].map((p) => `${sha256(p)}  ${relative(out, p)}`).join('\n');
  writeFileSync(join(out, 'SHA256SUMS'), `${sums}\n`);
  rmSync(staging, { recursive: true, force: true });
  const size = (p) => `${(statSync(p).size / 1024).toFixed(1)} KB`;
  console.log(`package: ${tarball} (${size(tarball)})`);
  console.log(`package: ${zipPath} (${size(zipPath)})`);
  console.log(`package: ${paths.length} files in ${base}/, each page file with .br and .gz`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
