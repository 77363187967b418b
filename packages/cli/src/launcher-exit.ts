/** How often a daemon started through npm checks that npm is still there. */
const LAUNCHER_POLL_MS = 500;

/**
 * Resolves when the npm process that started this one (`npx topo nimbus`, an npm script)
 * has gone. npm passes SIGTERM and SIGINT to the shell it runs the command in, and that
 * shell dies without passing them on, so the daemon would be left running, reparented,
 * with no one to stop it: being orphaned is the signal it never got. Started any other
 * way (a shell, systemd, nohup) a daemon outlives its parent as daemons do, and this
 * never resolves.
 */
export function whenLauncherExits(): { exited: Promise<void>; cancel: () => void } {
  if (process.env.npm_command === undefined && process.env.npm_lifecycle_event === undefined) return { exited: new Promise(() => {}), cancel: () => {} };
  const parent = process.ppid;
  let timer: NodeJS.Timeout | undefined;
  const exited = new Promise<void>((resolve) => {
    timer = setInterval(() => {
      if (process.ppid !== parent) resolve();
    }, LAUNCHER_POLL_MS).unref();
  });
  return { exited, cancel: () => clearInterval(timer) };
}
