// Camera, microphone, screen capture and motion sensors.
import { intent, list, obj } from './samples.ts';
import type { JavaHookEntry } from './types.ts';

const CAMERA = 'android.permission.CAMERA';
const AUDIO = 'android.permission.RECORD_AUDIO';
const sensor = (type: number) => obj('android.hardware.Sensor', { getType: type });
const listener = obj('android.hardware.SensorEventListener');

export const SENSORS_MEDIA_ENTRIES: readonly JavaHookEntry[] = [
  {
    kind: 'java',
    id: 'camera.open',
    category: 'camera',
    className: 'android.hardware.Camera',
    method: 'open',
    permission: CAMERA,
    summary: 'none',
    samples: [
      { overload: [], result: obj('android.hardware.Camera'), expect: { category: 'camera' } },
      {
        overload: ['int'],
        args: [1],
        result: obj('android.hardware.Camera'),
        expect: { category: 'camera' },
      },
    ],
  },
  {
    kind: 'java',
    id: 'camera2.open-camera',
    category: 'camera',
    className: 'android.hardware.camera2.CameraManager',
    method: 'openCamera',
    permission: CAMERA,
    summary: 'text',
    samples: [
      {
        overload: [
          'java.lang.String',
          'android.hardware.camera2.CameraDevice$StateCallback',
          'android.os.Handler',
        ],
        args: ['0', obj('android.hardware.camera2.CameraDevice$StateCallback'), null],
        expect: { category: 'camera', argsIncludes: '0' },
      },
    ],
  },
  {
    kind: 'java',
    id: 'audio-record.start-recording',
    category: 'microphone',
    className: 'android.media.AudioRecord',
    method: 'startRecording',
    permission: AUDIO,
    summary: 'none',
    samples: [{ overload: [], expect: { category: 'microphone' } }],
  },
  {
    kind: 'java',
    id: 'media-recorder.start',
    category: 'microphone',
    className: 'android.media.MediaRecorder',
    method: 'start',
    permission: AUDIO,
    summary: 'none',
    note: 'May record video only; the category assumes the usual audio source.',
    samples: [{ expect: { category: 'microphone' } }],
  },
  {
    kind: 'java',
    id: 'speech.start-listening',
    category: 'microphone',
    className: 'android.speech.SpeechRecognizer',
    method: 'startListening',
    permission: AUDIO,
    summary: 'none',
    samples: [
      { args: [intent('android.speech.action.RECOGNIZE_SPEECH')], expect: { category: 'microphone' } },
    ],
  },
  {
    kind: 'java',
    id: 'media-projection.get-media-projection',
    category: 'screen-capture',
    className: 'android.media.projection.MediaProjectionManager',
    method: 'getMediaProjection',
    summary: 'none',
    samples: [
      {
        args: [-1, intent(null)],
        result: obj('android.media.projection.MediaProjection'),
        expect: { category: 'screen-capture' },
      },
    ],
  },
  {
    kind: 'java',
    id: 'sensors.register-listener',
    category: 'sensors',
    className: 'android.hardware.SensorManager',
    method: 'registerListener',
    summary: 'sensor',
    note: 'Shake-to-open ads register the accelerometer.',
    samples: [
      {
        overload: ['android.hardware.SensorEventListener', 'android.hardware.Sensor', 'int'],
        args: [listener, sensor(1), 3],
        result: true,
        expect: { category: 'sensors', argsIncludes: 'accelerometer' },
      },
      {
        overload: [
          'android.hardware.SensorEventListener',
          'android.hardware.Sensor',
          'int',
          'android.os.Handler',
        ],
        args: [listener, sensor(4), 1, null],
        result: true,
        expect: { category: 'sensors', argsIncludes: 'gyroscope' },
      },
    ],
  },
  {
    kind: 'java',
    id: 'sensors.get-sensor-list',
    category: 'sensors',
    className: 'android.hardware.SensorManager',
    method: 'getSensorList',
    summary: 'sensor',
    samples: [
      { args: [-1], result: list(sensor(1)), expect: { category: 'sensors', argsIncludes: 'type=all' } },
    ],
  },
];
