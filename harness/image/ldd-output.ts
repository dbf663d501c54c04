// Parses `ldd` output into the files a dynamically linked binary needs at run time.
export function parseLddOutput(text: string): string[] {
  const paths = new Set<string>();
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    // "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)" or "/lib64/ld-linux-x86-64.so.2 (0x...)"
    const arrow = /=>\s*(\/\S+)/.exec(trimmed);
    const bare = /^(\/\S+)\s+\(0x/.exec(trimmed);
    const path = arrow?.[1] ?? bare?.[1];
    if (path) paths.add(path);
  }
  return [...paths];
}
