#!/usr/bin/python3
"""Writes a COCO-17 keypoint file, shaped like a 2D detector's output, from the embedded CMU sample.

The sample pickle (data/cmu_sports_sample.pkl) holds H36M-17 joints: 2D keypoints (3D projected
through a virtual camera, 2 px noise) and the same 3D in image coordinates (x, y px, depth). COCO-17
is rebuilt from them:
  * body keypoints 5..16 are the H36M joints that the COCO -> H36M conversion (spec section 9)
    copies unchanged: shoulders 11/14, elbows 12/15, wrists 13/16, hips 4/1, knees 5/2, ankles 6/3;
  * the face (0 nose, 1/2 eyes, 3/4 ears), which H36M lacks, is synthesised from the 3D head: a
    frame of the head (up: thorax -> head, lateral: right -> left shoulder, forward: their cross
    product) around a face centre between the neck (9) and head (10) joints, at fixed fractions of
    the neck-head distance, projected by dropping depth and moved by the neck's 2D noise;
  * scores are seeded uniform values in [0.75, 0.98], face points turned away from the camera get
    [0.2, 0.5];
  * frame `--missing-frame` (if >= 0) holds no detection (an empty person list), as when a detector
    loses the person, to exercise gap filling.
Layout: a JSON list with one entry per frame, each a list of person objects
{"keypoints": [x0, y0, s0, ..., x16, y16, s16], "score": mean keypoint score} (docs/inference.md).

    /usr/bin/python3 tests/data/keypoints/make_coco_sample.py --out tests/data/keypoints/cmu_running_coco.json
    /usr/bin/python3 tests/data/keypoints/make_coco_sample.py --source cmu_test_jumping_1 --frames 1000 \
        --missing-frame -1 --out /tmp/jumping_1000_coco.json
"""
import argparse
import json
import pickle

import numpy as np

# COCO index -> H36M joint it is copied from (the inverse of the conversion's plain copies).
BODY_FROM_H36M = {5: 11, 6: 14, 7: 12, 8: 15, 9: 13, 10: 16, 11: 4, 12: 1, 13: 5, 14: 2, 15: 6, 16: 3}
# Face points in head-frame coordinates (lateral to the subject's left, up, forward), in units of
# the neck-head distance, around a centre 40 % of the way from neck to head.
FACE = {0: (0.0, 0.0, 0.45), 1: (0.18, 0.12, 0.35), 2: (-0.18, 0.12, 0.35), 3: (0.42, 0.05, 0.0), 4: (-0.42, 0.05, 0.0)}


def unit(v):
    return v / np.linalg.norm(v)


def face_points(joints3d):
    neck, head, thorax = joints3d[9], joints3d[10], joints3d[8]
    up = unit(head - thorax)
    lateral = joints3d[11] - joints3d[14]
    lateral = unit(lateral - up * np.dot(lateral, up))
    forward = np.cross(lateral, up)  # x right, y down, z away: facing the camera gives -z
    size = np.linalg.norm(head - neck)
    centre = neck + 0.4 * (head - neck)
    points = {k: centre + size * (a * lateral + b * up + c * forward) for k, (a, b, c) in FACE.items()}
    facing_camera = forward[2] < 0
    return points, facing_camera


def coco_frames(split, frames, rng):
    result = []
    for t in frames:
        kp2d, kp3d = split['joint_2d'][t].astype(np.float64), split['joint3d_image'][t].astype(np.float64)
        noise = kp2d[9] - kp3d[9, :2]
        points, facing = face_points(kp3d)
        keypoints = np.zeros((17, 3))
        for coco, h36m in BODY_FROM_H36M.items():
            keypoints[coco] = (*kp2d[h36m], rng.uniform(0.75, 0.98))
        for coco, p in points.items():
            visible = facing or coco in (3, 4)
            keypoints[coco] = (*(p[:2] + noise), rng.uniform(0.75, 0.98) if visible else rng.uniform(0.2, 0.5))
        person = {'keypoints': [round(float(v), 2) for v in keypoints.reshape(-1)],
                  'score': round(float(keypoints[:, 2].mean()), 3)}
        result.append([person])
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--pickle', default='data/cmu_sports_sample.pkl')
    parser.add_argument('--source', default='cmu_test_running_1_virtual0',
                        help='test-split sources starting with this are concatenated in file order')
    parser.add_argument('--frames', type=int, default=0, help='keep the first N frames (0: all)')
    parser.add_argument('--missing-frame', type=int, default=20)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--out', required=True)
    args = parser.parse_args()
    with open(args.pickle, 'rb') as f:
        split = pickle.load(f)['test']
    frames = [t for t, s in enumerate(split['source']) if s.startswith(args.source)]
    if args.frames:
        if len(frames) < args.frames:
            raise SystemExit(f'{args.source}: only {len(frames)} frames')
        frames = frames[:args.frames]
    widths, heights = {int(split['res_w'][t]) for t in frames}, {int(split['res_h'][t]) for t in frames}
    print(f'{len(frames)} frames, image size {widths} x {heights}')
    coco = coco_frames(split, frames, np.random.default_rng(args.seed))
    if 0 <= args.missing_frame < len(coco):
        coco[args.missing_frame] = []
    with open(args.out, 'w') as f:
        f.write('[\n' + ',\n'.join(json.dumps(frame, separators=(',', ':')) for frame in coco) + '\n]\n')


if __name__ == '__main__':
    main()
