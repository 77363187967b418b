/** A size as `12.3 KiB`, as submit's messages give it. */
export function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}
