// WebView (geolocation prompts, JavaScript bridges) and the radios: Bluetooth bonded devices,
// discovery, BLE scans and device names; Wi-Fi and network state, IP addresses. Network state
// is low-severity context: it places the device on a network rather than identifying it.
import { obj } from './samples.ts';
import type { JavaHookEntry } from './types.ts';

const BA = 'android.bluetooth.BluetoothAdapter';
const BT_SCAN = 'android.permission.BLUETOOTH_SCAN';
const BT_CONNECT = 'android.permission.BLUETOOTH_CONNECT';
const NET_STATE = 'android.permission.ACCESS_NETWORK_STATE';
const net = { category: 'network-id' } as const;
// Pure context (network type and state, interface enumeration): recorded under the behaviour
// category `lifecycle`, so a connectivity check never counts as collecting personal data.
const context = { category: 'lifecycle' } as const;

const WEBVIEW: readonly JavaHookEntry[] = [
  {
    kind: 'java',
    id: 'webview.geolocation-prompt',
    category: 'location',
    className: 'android.webkit.WebChromeClient',
    method: 'onGeolocationPermissionsShowPrompt',
    summary: 'text',
    note: "A page asked for the device's location (the origin is recorded). Seen when the app's WebChromeClient does not override the method or calls super; the grant itself goes through GeolocationPermissions.Callback, an interface whose WebView implementation Frida cannot hook by name.",
    samples: [
      {
        args: ['https://ads.example.com', obj('android.webkit.GeolocationPermissions$Callback')],
        expect: { category: 'location', argsIncludes: 'https://ads.example.com' },
      },
    ],
  },
  {
    kind: 'java',
    id: 'webview.geolocation-allow',
    category: 'location',
    className: 'android.webkit.GeolocationPermissions',
    method: 'allow',
    summary: 'text',
    note: 'Stored grant for an origin. The WebView provider subclasses GeolocationPermissions; calls reaching the base class are seen.',
    samples: [
      {
        args: ['https://ads.example.com'],
        expect: { category: 'location', argsIncludes: 'ads.example.com' },
      },
    ],
  },
  {
    kind: 'java',
    id: 'webview.add-javascript-interface',
    category: 'lifecycle',
    className: 'android.webkit.WebView',
    method: 'addJavascriptInterface',
    summary: 'text',
    note: 'Context, not personal data: web content can call the named Java object (how page scripts reach device data). Recorded with the bridge name.',
    samples: [
      {
        args: [obj('com.example.sdk.JsBridge'), 'NativeBridge'],
        expect: { category: 'lifecycle', argsIncludes: 'NativeBridge' },
      },
    ],
  },
];

const BLUETOOTH: readonly JavaHookEntry[] = [
  {
    kind: 'java',
    id: 'bluetooth-adapter.get-bonded-devices',
    category: 'network-id',
    className: BA,
    method: 'getBondedDevices',
    permission: BT_CONNECT,
    summary: 'list-size',
    note: 'Paired devices (headsets, cars, watches) fingerprint the owner.',
    samples: [
      {
        result: obj('java.util.Set', { size: 2 }),
        expect: { ...net, resultIncludes: 'size=2' },
      },
    ],
  },
  {
    kind: 'java',
    id: 'bluetooth-adapter.start-discovery',
    category: 'network-id',
    className: BA,
    method: 'startDiscovery',
    permission: BT_SCAN,
    summary: 'text',
    note: 'Discovery results also locate the device (needs ACCESS_FINE_LOCATION before API 31).',
    samples: [{ result: true, expect: { ...net, resultIncludes: 'true' } }],
  },
  {
    kind: 'java',
    id: 'bluetooth-adapter.start-le-scan',
    category: 'network-id',
    className: BA,
    method: 'startLeScan',
    permission: BT_SCAN,
    summary: 'none',
    samples: [
      {
        overload: ['android.bluetooth.BluetoothAdapter$LeScanCallback'],
        args: [obj('android.bluetooth.BluetoothAdapter$LeScanCallback')],
        result: true,
        expect: net,
      },
    ],
  },
  {
    kind: 'java',
    id: 'bluetooth-le-scanner.start-scan',
    category: 'network-id',
    className: 'android.bluetooth.le.BluetoothLeScanner',
    method: 'startScan',
    permission: BT_SCAN,
    summary: 'none',
    note: 'BLE scans see beacons: indoor location and proximity to other devices.',
    samples: [
      {
        overload: ['android.bluetooth.le.ScanCallback'],
        args: [obj('android.bluetooth.le.ScanCallback')],
        expect: net,
      },
    ],
  },
  {
    kind: 'java',
    id: 'bluetooth-device.get-name',
    category: 'network-id',
    className: 'android.bluetooth.BluetoothDevice',
    method: 'getName',
    permission: BT_CONNECT,
    summary: 'result-value',
    personal: true,
    note: "Names of nearby or paired devices (often their owners' names).",
    samples: [{ result: "Bob's AirPods", expect: { ...net, hashed: true } }],
  },
];

const NETWORK: readonly JavaHookEntry[] = [
  {
    kind: 'java',
    id: 'connectivity.get-active-network-info',
    category: 'lifecycle',
    className: 'android.net.ConnectivityManager',
    method: 'getActiveNetworkInfo',
    permission: NET_STATE,
    summary: 'none',
    note: 'Context, not personal data: network type and state only (every HTTP stack checks it).',
    samples: [{ result: obj('android.net.NetworkInfo'), expect: context }],
  },
  {
    kind: 'java',
    id: 'connectivity.get-link-properties',
    category: 'network-id',
    className: 'android.net.ConnectivityManager',
    method: 'getLinkProperties',
    permission: NET_STATE,
    summary: 'none',
    note: 'Low severity: interface name, IP addresses, DNS servers of a network.',
    samples: [{ args: [obj('android.net.Network')], result: obj('android.net.LinkProperties'), expect: net }],
  },
  {
    kind: 'java',
    id: 'network-interface.get-network-interfaces',
    category: 'lifecycle',
    className: 'java.net.NetworkInterface',
    method: 'getNetworkInterfaces',
    summary: 'none',
    note: 'Context: enumerating interfaces precedes reading their addresses (getInetAddresses and getHardwareAddress are hooked separately).',
    samples: [{ result: obj('java.util.Enumeration'), expect: context }],
  },
  {
    kind: 'java',
    id: 'network-interface.get-inet-addresses',
    category: 'network-id',
    className: 'java.net.NetworkInterface',
    method: 'getInetAddresses',
    summary: 'none',
    note: 'Low severity: the local IP addresses (an IPv6 address may embed the MAC on old releases).',
    samples: [{ result: obj('java.util.Enumeration'), expect: net }],
  },
  {
    kind: 'java',
    id: 'wifi-manager.get-dhcp-info',
    category: 'network-id',
    className: 'android.net.wifi.WifiManager',
    method: 'getDhcpInfo',
    permission: 'android.permission.ACCESS_WIFI_STATE',
    summary: 'none',
    note: 'Low severity: IP, gateway and DNS of the Wi-Fi network.',
    samples: [{ result: obj('android.net.DhcpInfo'), expect: net }],
  },
];

export const WEBVIEW_RADIO_ENTRIES: readonly JavaHookEntry[] = [...WEBVIEW, ...BLUETOOTH, ...NETWORK];
