// Exact Java types for the numbers of the calibration calls. The API declarations
// (@nativescript/types-android) spell every numeric type `number`, but a DEX method reference
// needs the real one (int vs long vs double): a wrong guess links to no method on the device
// (NoSuchMethodError, reported as "not fired"). Positions not listed are int. Written from the
// Android API reference (developer.android.com/reference) for the methods the catalog hooks.

/** "Class.method(api params)" → Frida types of its `number` params, in order. */
export const NUMBER_PARAMS: Readonly<Record<string, readonly string[]>> = {
  'android.location.LocationManager.requestLocationUpdates(java.lang.String,number,number,android.app.PendingIntent)':
    ['long', 'float'],
  'android.location.LocationManager.requestLocationUpdates(java.lang.String,number,number,android.location.LocationListener)':
    ['long', 'float'],
  'android.location.LocationManager.requestLocationUpdates(java.lang.String,number,number,android.location.LocationListener,android.os.Looper)':
    ['long', 'float'],
  'android.location.LocationManager.requestLocationUpdates(java.lang.String,number,number,java.util.concurrent.Executor,android.location.LocationListener)':
    ['long', 'float'],
  'android.location.LocationManager.requestLocationUpdates(number,number,android.location.Criteria,android.app.PendingIntent)':
    ['long', 'float'],
  'android.location.LocationManager.requestLocationUpdates(number,number,android.location.Criteria,android.location.LocationListener,android.os.Looper)':
    ['long', 'float'],
  'android.location.LocationManager.requestLocationUpdates(number,number,android.location.Criteria,java.util.concurrent.Executor,android.location.LocationListener)':
    ['long', 'float'],
  'android.location.LocationManager.addProximityAlert(number,number,number,number,android.app.PendingIntent)':
    ['double', 'double', 'float', 'long'],
  'android.location.Geocoder.getFromLocation(number,number,number)': ['double', 'double', 'int'],
  'android.location.Geocoder.getFromLocation(number,number,number,android.location.Geocoder$GeocodeListener)':
    ['double', 'double', 'int'],
  'android.location.Geocoder.getFromLocationName(java.lang.String,number,number,number,number,number)': [
    'int',
    'double',
    'double',
    'double',
    'double',
  ],
  'android.location.Geocoder.getFromLocationName(java.lang.String,number,number,number,number,number,android.location.Geocoder$GeocodeListener)':
    ['int', 'double', 'double', 'double', 'double'],
  'android.telephony.SmsManager.sendTextMessage(java.lang.String,java.lang.String,java.lang.String,android.app.PendingIntent,android.app.PendingIntent,number)':
    ['long'],
  'android.telephony.SmsManager.sendMultipartTextMessage(java.lang.String,java.lang.String,java.util.List,java.util.List,java.util.List,number)':
    ['long'],
  'android.telephony.SmsManager.sendDataMessage(java.lang.String,java.lang.String,number,[number,android.app.PendingIntent,android.app.PendingIntent)':
    ['short'],
  'android.telephony.SmsManager.sendMultimediaMessage(android.content.Context,android.net.Uri,java.lang.String,android.os.Bundle,android.app.PendingIntent,number)':
    ['long'],
  'android.app.usage.UsageStatsManager.queryUsageStats(number,number,number)': ['int', 'long', 'long'],
  'android.app.usage.UsageStatsManager.queryEvents(number,number)': ['long', 'long'],
  'android.app.usage.UsageStatsManager.queryAndAggregateUsageStats(number,number)': ['long', 'long'],
  'android.app.usage.UsageStatsManager.queryConfigurations(number,number,number)': ['int', 'long', 'long'],
};

/** "Class.method(api params)" → Frida types of its `[number` (primitive array) params, in order. */
export const NUMBER_ARRAY_PARAMS: Readonly<Record<string, readonly string[]>> = {
  'android.telephony.SmsManager.sendDataMessage(java.lang.String,java.lang.String,number,[number,android.app.PendingIntent,android.app.PendingIntent)':
    ['[B'],
};

/** "Class.method" → return type when it is a number other than int. */
export const NUMBER_RETURNS: Readonly<Record<string, string>> = {
  'android.location.Location.getLatitude': 'double',
  'android.location.Location.getLongitude': 'double',
  'android.location.Location.getAltitude': 'double',
  'android.location.Location.getAccuracy': 'float',
  'android.location.Location.getTime': 'long',
  'android.location.Location.getSpeed': 'float',
  'android.location.Location.getBearing': 'float',
  'android.location.Location.getElapsedRealtimeNanos': 'long',
  'android.telephony.CellIdentityNr.getNci': 'long',
  'android.app.DownloadManager.enqueue': 'long',
};
