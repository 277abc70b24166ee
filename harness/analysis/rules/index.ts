// Every rule, in the order findings are listed for the same severity.
import type { Rule } from '../types.ts';
import { accessBeforeConsent } from './access-before-consent.ts';
import { backgroundAccess } from './background-access.ts';
import { beyondNecessary } from './beyond-necessary.ts';
import { coverageGap } from './coverage-gap.ts';
import { excessiveRate } from './excessive-rate.ts';
import { findingTransmitted } from './finding-transmitted.ts';
import { installInducement } from './install-inducement.ts';
import { permissionBypass } from './permission-bypass.ts';
import { permissionRerequest } from './permission-rerequest.ts';
import { popupHarassment } from './popup-harassment.ts';
import { transmissionBeforeConsent } from './transmission-before-consent.ts';
import { undeclaredCollection } from './undeclared-collection.ts';
import { undisclosedRecipient } from './undisclosed-recipient.ts';
import { unusedDangerousPermission } from './unused-dangerous-permission.ts';

export const RULES: readonly Rule[] = [
  accessBeforeConsent,
  beyondNecessary,
  undeclaredCollection,
  backgroundAccess,
  excessiveRate,
  permissionBypass,
  unusedDangerousPermission,
  popupHarassment,
  permissionRerequest,
  installInducement,
  coverageGap,
  transmissionBeforeConsent,
  undisclosedRecipient,
  // Last: raises the severity of earlier findings whose values were sent.
  findingTransmitted,
];
