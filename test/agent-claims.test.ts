// The outermost-call claims (agent/runtime/outermost.ts) and the busy-thread guard (busy.ts) with
// threads interleaved as on a device: Frida releases the JS lock while Java code runs, so a
// second thread enters hooks while the first one is inside a hooked call or agent work, and
// their entries interleave in one list.
import { describe, expect, it } from 'vitest';
import { enterAgent, inAgent, leaveAgent } from '../agent/runtime/busy.ts';
import { holdClaim, isClaimed, releaseClaim } from '../agent/runtime/outermost.ts';

describe('claims per thread', () => {
  it("a claim covers its own thread only, and each release drops that thread's innermost", () => {
    const A = 101;
    const B = 202;
    holdClaim(A, 'device-id'); // A inside getImei()
    expect(isClaimed(A, 'device-id')).toBe(true);
    expect(isClaimed(B, 'device-id')).toBe(false); // B's own getImei is an app call: reported
    holdClaim(B, 'location'); // B inside getLastKnownLocation, while A's call still runs
    holdClaim(A, 'contacts'); // A's call runs app code that queries contacts
    holdClaim(B, 'device-id'); // B now inside a getImei of its own
    expect(isClaimed(B, 'device-id')).toBe(true);
    expect(isClaimed(A, 'location')).toBe(false);
    // A's contacts query returns first: A's innermost goes, B's claims stay.
    releaseClaim(A, 'contacts');
    expect(isClaimed(A, 'contacts')).toBe(false);
    expect(isClaimed(A, 'device-id')).toBe(true);
    expect(isClaimed(B, 'device-id')).toBe(true);
    expect(isClaimed(B, 'location')).toBe(true);
    releaseClaim(A, 'device-id');
    expect(isClaimed(A, 'device-id')).toBe(false);
    expect(isClaimed(B, 'device-id')).toBe(true); // same category, other thread: still held
    releaseClaim(B, 'device-id');
    expect(isClaimed(B, 'device-id')).toBe(false);
    expect(isClaimed(B, 'location')).toBe(true);
    releaseClaim(B, 'location');
    expect(isClaimed(B, 'location')).toBe(false);
  });

  it('a null claim (lifecycle hooks, reflection into app code) holds nothing', () => {
    holdClaim(7, null);
    expect(isClaimed(7, null)).toBe(false);
    holdClaim(7, 'sms');
    releaseClaim(7, null); // nothing held by the null claim: 'sms' stays
    expect(isClaimed(7, 'sms')).toBe(true);
    releaseClaim(7, 'sms');
    expect(isClaimed(7, 'sms')).toBe(false);
  });
});

describe('threads busy with agent work', () => {
  it('marks each thread on its own, whatever order their agent work ends in', () => {
    const A = 11;
    const B = 22;
    expect(enterAgent(A)).toBe(true);
    expect(inAgent(A)).toBe(true);
    expect(inAgent(B)).toBe(false); // B's hooked calls meanwhile are the app's: reported
    expect(enterAgent(A)).toBe(false); // nested agent work on A: skipped
    expect(enterAgent(B)).toBe(true); // B entered a hook while A's summariser ran Java code
    leaveAgent(A); // A finishes first
    expect(inAgent(A)).toBe(false);
    expect(inAgent(B)).toBe(true);
    expect(enterAgent(A)).toBe(true);
    leaveAgent(B);
    expect(inAgent(B)).toBe(false);
    expect(inAgent(A)).toBe(true);
    leaveAgent(A);
    expect(inAgent(A)).toBe(false);
  });
});
