// The UI driver of the simulated device, mirroring what the Appium (UiAutomator2) wrapper
// offers: find by text / resource id / accessibility id / class / XPath, tap, long-press, type,
// swipe, back, home, page source, a real PNG screenshot. Only the focused (top) window is
// searched, as UiAutomator2 does by default.

import type { Locator, Point, TapTarget, UiDriver, UiElement } from '../../device/types.ts';
import { DeviceError, InputError } from '../../errors.ts';
import { SCREEN_HEIGHT, SCREEN_WIDTH } from '../apps/model-load.ts';
import type { SimDevice } from './sim-device.ts';
import { type Bounds, hierarchyOf, pageSourceXml, renderPng, type UiNode } from './ui-tree.ts';
import { compileXPath } from './xpath.ts';

interface Located {
  node: UiNode;
  path: number[];
}

function isPoint(t: TapTarget): t is Point {
  return 'x' in t && 'y' in t;
}

function isLocator(t: TapTarget): t is Locator {
  return 'by' in t && 'value' in t;
}

function contains(b: Bounds, p: Point): boolean {
  return p.x >= b[0] && p.x < b[2] && p.y >= b[1] && p.y < b[3];
}

export class SimUiDriver implements UiDriver {
  private closed = false;

  constructor(private readonly device: SimDevice) {}

  private top(): UiNode | undefined {
    if (this.closed) throw new DeviceError('sim ui driver: session closed');
    return this.device.windows().at(-1)?.root;
  }

  private snapshot(): Located[] {
    const root = this.top();
    if (!root) return [];
    const out: Located[] = [];
    const walk = (n: UiNode, path: number[]) => {
      out.push({ node: n, path });
      n.children.forEach((c, i) => {
        walk(c, [...path, i]);
      });
    };
    walk(root, []);
    return out;
  }

  private toElement(l: Located): UiElement {
    const a = l.node.attrs;
    return {
      elementId: `${l.path.join('.')}|${a['class'] ?? ''}|${a['resource-id'] ?? ''}`,
      className: a['class'] ?? l.node.tag,
      text: a['text'] ?? '',
      resourceId: a['resource-id'] ?? '',
      contentDesc: a['content-desc'] ?? '',
      packageName: a['package'] ?? '',
      clickable: a['clickable'] === 'true',
      checked: a['checked'] === 'true',
      enabled: a['enabled'] !== 'false',
      bounds: l.node.bounds,
    };
  }

  private match(loc: Locator): Located[] {
    const nodes = this.snapshot();
    switch (loc.by) {
      case 'text':
        return nodes.filter((l) => l.node.attrs['text'] === loc.value);
      case 'accessibility-id':
        return nodes.filter((l) => l.node.attrs['content-desc'] === loc.value);
      case 'class':
        return nodes.filter((l) => l.node.attrs['class'] === loc.value);
      case 'id':
        // Appium adds the app package to a bare id ("agree" → "<pkg>:id/agree").
        return nodes.filter((l) => {
          const rid = l.node.attrs['resource-id'] ?? '';
          return (
            rid === loc.value ||
            (!loc.value.includes(':id/') && rid === `${l.node.attrs['package']}:id/${loc.value}`)
          );
        });
      case 'xpath': {
        const root = nodes[0]?.node;
        if (!root) return [];
        const hits = compileXPath(loc.value)(
          hierarchyOf({ packageName: '', activity: '', root }, SCREEN_WIDTH, SCREEN_HEIGHT),
        );
        return nodes.filter((l) => hits.includes(l.node));
      }
      default:
        throw new InputError(`unknown locator strategy '${String((loc as { by: unknown }).by)}'`);
    }
  }

  async findAll(loc: Locator): Promise<UiElement[]> {
    return this.match(loc).map((l) => this.toElement(l));
  }

  async find(loc: Locator): Promise<UiElement | null> {
    const hit = this.match(loc)[0];
    return hit ? this.toElement(hit) : null;
  }

  /** Polls until the element is there (each poll waits 250 ms of device-clock time). */
  async waitFor(loc: Locator, timeoutMs: number): Promise<UiElement | null> {
    const end = this.device.clock.now() + timeoutMs;
    for (;;) {
      const el = await this.find(loc);
      if (el || this.device.clock.now() >= end) return el;
      await this.device.clock.sleep(250);
    }
  }

  /** Resolves a target to the live node it stands for. */
  private resolve(target: TapTarget): UiNode {
    if (isPoint(target)) {
      const hits = this.snapshot().filter((l) => contains(l.node.bounds, target));
      const clickable = hits.filter((l) => l.node.onTap);
      const node = (clickable.at(-1) ?? hits.at(-1))?.node;
      if (!node) throw new DeviceError(`no element at (${target.x}, ${target.y})`);
      return node;
    }
    if (isLocator(target)) {
      const hit = this.match(target)[0];
      if (!hit) throw new DeviceError(`no element found by ${target.by} '${target.value}'`);
      return hit.node;
    }
    // An element is the view at the same place with the same class and id (else: stale).
    const [pathText = '', cls = '', rid = ''] = target.elementId.split('|');
    const path = pathText === '' ? [] : pathText.split('.').map(Number);
    let node = this.top();
    for (const i of path) node = node?.children[i];
    if (!node || node.attrs['class'] !== cls || (node.attrs['resource-id'] ?? '') !== rid) {
      throw new DeviceError(
        `stale element: '${target.text || target.resourceId || target.className}' is no longer on screen`,
      );
    }
    return node;
  }

  async tap(target: TapTarget): Promise<void> {
    const node = this.resolve(target);
    node.onTap?.();
    await this.device.settle();
  }

  async longPress(target: TapTarget, _durationMs = 1000): Promise<void> {
    const node = this.resolve(target);
    (node.onLongPress ?? node.onTap)?.();
    await this.device.settle();
  }

  async type(target: TapTarget, text: string, clear = true): Promise<void> {
    const node = this.resolve(target);
    if (!node.onType)
      throw new DeviceError(`element '${node.attrs['resource-id'] || node.tag}' does not accept text`);
    node.onType(clear ? text : `${node.attrs['text'] ?? ''}${text}`);
  }

  /** Swipes do not scroll the simulated screens (every element is always visible); they only take time. */
  async swipe(_from: Point, _to: Point, durationMs = 300): Promise<void> {
    this.top();
    await this.device.clock.sleep(durationMs);
  }

  async back(): Promise<void> {
    this.top();
    this.device.pressBack();
    await this.device.settle();
  }

  async home(): Promise<void> {
    this.top();
    this.device.pressHome();
  }

  async pageSource(): Promise<string> {
    const root = this.top();
    const win = {
      packageName: '',
      activity: '',
      root: root ?? {
        tag: 'android.widget.FrameLayout',
        attrs: {},
        children: [],
        bounds: [0, 0, 0, 0] as Bounds,
      },
    };
    return pageSourceXml(hierarchyOf(win, SCREEN_WIDTH, SCREEN_HEIGHT));
  }

  /** A real PNG (quarter size) of every visible window's element boxes; no text rendering. */
  async screenshot(): Promise<Buffer> {
    if (this.closed) throw new DeviceError('sim ui driver: session closed');
    const layers = this.device.windows();
    const root: UiNode = {
      tag: 'hierarchy',
      attrs: {},
      children: layers.map((w) => w.root),
      bounds: [0, 0, SCREEN_WIDTH, SCREEN_HEIGHT],
    };
    return renderPng(root, SCREEN_WIDTH, SCREEN_HEIGHT);
  }

  async currentPackage(): Promise<string> {
    return (await this.device.foregroundActivity()).packageName;
  }

  async currentActivity(): Promise<string> {
    return (await this.device.foregroundActivity()).activity;
  }

  /** Every element of the focused window (for exploration). */
  async elements(): Promise<UiElement[]> {
    return this.snapshot().map((l) => this.toElement(l));
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
