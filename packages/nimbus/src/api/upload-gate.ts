import { HttpError } from './http-error.js';

/** Seconds a client is told to wait when every upload place is taken: about what reading one takes. */
const RETRY_AFTER_SECS = 1;

/**
 * Caps the uploads nimbus reads at once (`nimbus.upload.max.concurrent`): each holds its
 * body, the parsed submission and the stored copy until it is stored, a few times its
 * size, so the cap times the size limit bounds what uploads can take.
 */
export class UploadGate {
  private reading = 0;

  constructor(private readonly max: number) {}

  /** Takes a place, or refuses with 503 and Retry-After; returns what gives the place back. */
  enter(): () => void {
    if (this.reading >= this.max) {
      throw new HttpError(503, `nimbus is already reading ${this.max} upload${this.max === 1 ? '' : 's'} (nimbus.upload.max.concurrent); try again in ${RETRY_AFTER_SECS} s`, [], {
        'retry-after': String(RETRY_AFTER_SECS),
      });
    }
    this.reading++;
    let left = false;
    return () => {
      if (!left) this.reading--;
      left = true;
    };
  }
}
