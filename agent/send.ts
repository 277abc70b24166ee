// The ONLY module that calls Frida's send(): every agent → harness message passes through here,
// so the wire format (agent/protocol/messages.ts) is enforced in one place.
import type { AgentMessage } from './protocol/messages.ts';

let sendFailures = 0;

/** Sends one protocol message; false when the transport refused it (never throws into a hook). */
export function post(message: AgentMessage): boolean {
  try {
    send(message);
    return true;
  } catch {
    sendFailures++;
    return false;
  }
}

export function failedSends(): number {
  return sendFailures;
}
